import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Meeting API keys (domain §18.1). The raw key `prefix.secret` is shown once;
 * only the SHA-256 of the secret is stored. Each key acts through its own
 * inactive system user, which is what audit entries name.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('meeting_api_keys', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table
        .integer('meeting_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('meetings')
        .onDelete('CASCADE')
      // The system user outlives a cycled key: audit entries keep naming it.
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('prefix', 32).notNullable().unique()
      table.string('secret_hash', 64).notNullable()
      table.string('name', 100).notNullable()
      table.json('scopes').notNullable()
      table.timestamp('expiry').notNullable()
      table.timestamp('revoked').nullable()
      table.timestamp('last_used').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['organisation_id', 'meeting_id'])
    })
  }

  async down() {
    this.schema.dropTable('meeting_api_keys')
  }
}
