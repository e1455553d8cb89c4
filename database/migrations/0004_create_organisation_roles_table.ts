import { BaseSchema } from '@adonisjs/lucid/schema'

/** Role assignment rows (domain §3.1): one row per (user, organisation), `assigned` is a set of codes. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('organisation_roles', (table) => {
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
      table.json('assigned').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['organisation_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('organisation_roles')
  }
}
