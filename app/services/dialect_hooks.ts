import { fieldError } from '#domain/errors'
import { registerDialectInstaller } from '#services/meeting_hooks'
import { findDialect, resolveInstalledDialect } from '#services/dialects'
import { registerDialectResolver } from '#transformers/meeting_transformer'
import { installDialectIn } from '#actions/dialects/install_dialect'

/**
 * Connects dialects to the meeting module (registered once at boot from start/routes/api_access.ts):
 * `POST /api/meetings {install_dialect}` installs in the creating transaction, and meeting payloads
 * carry the installed definition.
 */
let registered = false

export function registerDialectHooks() {
  if (registered) return
  registered = true
  registerDialectInstaller(async ({ trx, meeting, actor, dialect }) => {
    const available = await findDialect(meeting.organisationId, dialect, trx)
    if (!available || (available.source === 'file' && !available.dialect.installable)) {
      throw fieldError('install_dialect', `Unknown dialect "${dialect}"`, 'exists')
    }
    await installDialectIn(trx, meeting, available, actor)
  })
  registerDialectResolver((organisationId, name) => resolveInstalledDialect(organisationId, name))
}
