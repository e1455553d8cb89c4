import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import OrganisationSigningKey from '#models/organisation_signing_key'
import { keyFingerprint } from '#domain/polls/bundle'
import { recordAudit, type Actor } from '#services/audit_log'
import { createSigningKey } from '#services/signing_keys'

/**
 * Signing-key rotation (beyond.md B-NEW-01): retires the organisation's
 * active key (kept, with `retired_at`, so bundles signed with it still
 * verify against /.well-known/voting-keys.json) and creates a new active one.
 * The organisation row lock serialises rotations and first creations; the
 * partial unique index on active keys is the backstop.
 */
export default class RotateSigningKey {
  async execute(input: { organisationId: number; actor: Actor }) {
    const { organisationId, actor } = input
    return db.transaction(async (trx) => {
      await trx.from('organisations').where('id', organisationId).forUpdate().first()
      const previous = await OrganisationSigningKey.forOrganisation(organisationId)
        .where('active', true)
        .useTransaction(trx)
        .forUpdate()
      const now = DateTime.utc()
      for (const key of previous) {
        key.active = false
        key.retiredAt = now
        await key.useTransaction(trx).save()
      }
      const key = await createSigningKey(trx, organisationId)
      await recordAudit(trx, actor, {
        organisationId,
        action: 'update',
        event: 'organisation_signing_key.rotated',
        model: 'OrganisationSigningKey',
        objectId: key.id,
        changes: {
          active_key: [
            previous.map((old) => keyFingerprint(old.publicKey)).join(',') || null,
            keyFingerprint(key.publicKey),
          ],
        },
      })
      return { key, retired: previous }
    })
  }
}
