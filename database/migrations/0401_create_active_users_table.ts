import { BaseSchema } from '@adonisjs/lucid/schema'

/** "I'm here" flags (domain §15.2): one row per (meeting, user); `created_at` orders by activation time. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('active_users', (table) => {
      table.bigIncrements('id')
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
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.timestamp('created_at').notNullable()
      table.unique(['meeting_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('active_users')
  }
}
