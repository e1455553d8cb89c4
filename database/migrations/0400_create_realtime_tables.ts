import { randomBytes } from 'node:crypto'
import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Realtime (domain §17.5): one row per SSE stream, and the database's
 * incarnation id. The incarnation names the Redis key space of sequence
 * numbers and replay logs, so a fresh database never inherits the epochs and
 * replay logs of an earlier one (tests, restored backups).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('realtime_connections', (table) => {
      table.bigIncrements('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      // No foreign key: rows survive the deletion of the user (domain §17.5).
      table.integer('user_id').unsigned().notNullable()
      table.string('stream_uid', 64).notNullable()
      table.string('auth_ref', 40).nullable()
      table.string('instance', 40).notNullable()
      table.timestamp('opened_at').notNullable()
      table.timestamp('closed_at').nullable()
      table.timestamp('last_action').notNullable()
      table.integer('code').nullable()
      table.index(['user_id', 'closed_at'])
      table.index(['organisation_id', 'closed_at'])
      table.index(['stream_uid'])
    })

    this.schema.createTable('realtime_meta', (table) => {
      table.increments('id')
      table.string('incarnation', 32).notNullable()
    })
    this.defer(async (db) => {
      await db.table('realtime_meta').insert({ incarnation: randomBytes(8).toString('hex') })
    })
  }

  async down() {
    this.schema.dropTable('realtime_meta')
    this.schema.dropTable('realtime_connections')
  }
}
