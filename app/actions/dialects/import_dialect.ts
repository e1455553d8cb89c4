import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import DialectRow from '#models/dialect'
import type Organisation from '#models/organisation'
import { DomainError } from '#domain/errors'
import { DIALECT_NAME_PATTERN } from '#domain/dialects/dialect'
import { recordAudit, type Actor } from '#services/audit_log'
import { dialectDirectory, forgetStoredDialects, validateForOrganisation } from '#services/dialects'

export interface ImportDialectInput {
  organisation: Organisation
  name: string
  yaml: string
  actor: Actor
}

/** Largest dialect file accepted (a dialect is configuration, not data). */
export const MAX_DIALECT_BYTES = 256 * 1024

/**
 * Stores a validated dialect for one organisation (domain §20.1, api.md §11.7). Re-importing a
 * name adds a new version. Refused with 422 `dialect.invalid` and the issues (line, key) in meta.
 */
export default class ImportDialect {
  async execute({ organisation, name, yaml, actor }: ImportDialectInput) {
    if (Buffer.byteLength(yaml, 'utf8') > MAX_DIALECT_BYTES) {
      throw new DomainError(
        'payload.too_large',
        `A dialect file may be at most ${MAX_DIALECT_BYTES} bytes`
      )
    }
    if (!DIALECT_NAME_PATTERN.test(name)) {
      throw new DomainError(
        'validation.failed',
        'Dialect names are lower-case letters, digits, _, . and -',
        {
          field: 'name',
          rule: 'regex',
        }
      )
    }
    if (dialectDirectory().byName().has(name)) {
      throw new DomainError(
        'dialect.name_taken',
        `"${name}" is the name of a shipped dialect; import under another name`,
        {
          field: 'name',
          rule: 'unique',
          params: { name },
        }
      )
    }
    const result = await validateForOrganisation(organisation.id, name, yaml)
    if (!result.ok) {
      throw new DomainError('dialect.invalid', `The dialect "${name}" is invalid`, {
        meta: { issues: result.issues },
        params: { name },
      })
    }

    return db.transaction(async (trx) => {
      const latest = await DialectRow.forOrganisation(organisation.id)
        .where('name', name)
        .orderBy('version', 'desc')
        .useTransaction(trx)
        .forUpdate()
        .first()
      const row = await DialectRow.create(
        {
          organisationId: organisation.id,
          name,
          version: (latest?.version ?? 0) + 1,
          title: result.dialect.title,
          yaml,
          importedAt: DateTime.utc(),
          importedBy: actor.userId,
        },
        { client: trx }
      )
      await recordAudit(trx, actor, {
        organisationId: organisation.id,
        action: 'create',
        event: 'dialect.imported',
        model: 'Dialect',
        objectId: row.id,
        changes: { name: [null, name], version: [latest?.version ?? null, row.version] },
      })
      trx.after('commit', () => forgetStoredDialects(organisation.id))
      return { row, dialect: result.dialect }
    })
  }
}
