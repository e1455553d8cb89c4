import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Participant tags (domain §15.4): one row per (meeting, user) with
 * `tags = {namespace: value | [values]}`. Participant numbers (§15.5): a PN
 * system per meeting (its existence switches the optional module on) and one
 * number per user, unique per system.
 */
export default class extends BaseSchema {
  async up() {
    const scoped = (table: any) => {
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
    }
    this.schema.createTable('participant_tags', (table) => {
      scoped(table)
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.json('tags').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'user_id'])
    })
    this.schema.createTable('pn_systems', (table) => {
      scoped(table)
      table.timestamp('created_at').notNullable()
      table.unique(['meeting_id'])
    })
    this.schema.createTable('participant_numbers', (table) => {
      scoped(table)
      table
        .integer('pn_system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('pn_systems')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.integer('number').notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['pn_system_id', 'number'])
      table.unique(['pn_system_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('participant_numbers')
    this.schema.dropTable('pn_systems')
    this.schema.dropTable('participant_tags')
  }
}
