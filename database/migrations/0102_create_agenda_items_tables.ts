import { BaseSchema } from '@adonisjs/lucid/schema'

/** Agenda items and per-user read marks (domain §8.1). */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('agenda_items', (table) => {
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
      table.string('title', 100).notNullable()
      table.text('body').notNullable().defaultTo('')
      table.string('state', 20).notNullable().defaultTo('private')
      table.integer('order').notNullable().defaultTo(0)
      table.boolean('block_discussion').notNullable().defaultTo(false)
      table.boolean('block_proposals').notNullable().defaultTo(false)
      table.json('tags').notNullable()
      table.timestamp('related_modified').nullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['meeting_id', 'order'])
    })

    this.schema.createTable('last_reads', (table) => {
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
      table
        .integer('agenda_item_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('agenda_items')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.timestamp('timestamp').notNullable()
      table.unique(['user_id', 'agenda_item_id'])
      table.index(['meeting_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('last_reads')
    this.schema.dropTable('agenda_items')
  }
}
