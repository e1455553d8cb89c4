import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Append-only audit log (domain §19.1). Context columns (organisation, meeting,
 * agenda item) are stored so entries can be filtered without joins; meeting and
 * agenda item are plain integers, not foreign keys, so that entries outlive the
 * objects they describe.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('audit_entries', (table) => {
      table.bigIncrements('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table.integer('meeting_id').unsigned().nullable()
      table.integer('agenda_item_id').unsigned().nullable()
      table.integer('actor_user_id').unsigned().nullable()
      table.integer('actor_api_key_id').unsigned().nullable()
      table.string('source', 20).notNullable()
      table.string('action', 10).notNullable()
      table.string('event', 100).notNullable()
      table.string('model', 60).notNullable()
      table.string('object_id', 60).nullable()
      table.json('changes').notNullable()
      table.string('remote_addr', 64).nullable()
      table.string('request_id', 64).nullable()
      table.timestamp('created_at').notNullable()
      table.index(['organisation_id', 'id'])
      table.index(['organisation_id', 'meeting_id', 'id'])
    })
  }

  async down() {
    this.schema.dropTable('audit_entries')
  }
}
