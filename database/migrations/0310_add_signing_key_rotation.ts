import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Signing-key rotation (beyond.md B-NEW-01, api.md §11.3): a retired key keeps
 * its row (old bundles stay verifiable) and records when it was retired; at
 * most one key per organisation is active, enforced by a partial unique index
 * so that two rotations at once cannot both leave an active key.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('organisation_signing_keys', (table) => {
      table.timestamp('retired_at').nullable()
    })
    // `WHERE active` reads a boolean on PostgreSQL and 0/1 on SQLite; both support partial indexes.
    this.schema.raw(
      'CREATE UNIQUE INDEX organisation_signing_keys_one_active ON organisation_signing_keys (organisation_id) WHERE active'
    )
  }

  async down() {
    this.schema.raw('DROP INDEX organisation_signing_keys_one_active')
    this.schema.alterTable('organisation_signing_keys', (table) => {
      table.dropColumn('retired_at')
    })
  }
}
