import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Idempotency-Key replays (api.md §1): the first answer to a POST carrying the
 * key, kept 24 hours per user. `status` is null while the first request runs.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('idempotency_keys', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('key', 255).notNullable()
      table.string('fingerprint', 64).notNullable()
      table.integer('status').nullable()
      table.string('content_type', 100).nullable()
      table.text('body').nullable()
      table.timestamp('created_at').notNullable().index()
      table.unique(['user_id', 'key'])
    })
  }

  async down() {
    this.schema.dropTable('idempotency_keys')
  }
}
