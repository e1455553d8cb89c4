import { BaseSchema } from '@adonisjs/lucid/schema'
import type { Knex } from 'knex'

/**
 * Rooms (domain §13), speaker list systems, lists and turns (domain §12),
 * speaker-system roles (§3.2) and group time budgets (beyond.md B-ADD-02).
 *
 * Timer instants are stored as epoch milliseconds (bigint) because the timers
 * need sub-second precision on both SQLite and PostgreSQL. `rooms.poll_id` and
 * `speaker_list_systems.active_list_id` have no foreign key: polls are created
 * by a later module and the active list would make a cycle; the actions keep
 * both consistent (and clear them when the target goes away).
 */
export default class extends BaseSchema {
  async up() {
    const organisation = (table: Knex.CreateTableBuilder) =>
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
    const meeting = (table: Knex.CreateTableBuilder) =>
      table
        .integer('meeting_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('meetings')
        .onDelete('CASCADE')

    this.schema.createTable('rooms', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      table.string('title', 100).notNullable()
      table.text('body').notNullable().defaultTo('')
      table.boolean('open').notNullable().defaultTo(false)
      table
        .integer('handler_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table
        .integer('agenda_item_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('agenda_items')
        .onDelete('SET NULL')
      table.integer('poll_id').unsigned().nullable()
      table.boolean('show_ballot').notNullable().defaultTo(false)
      table.boolean('send_sls').notNullable().defaultTo(true)
      table.boolean('send_proposals').notNullable().defaultTo(true)
      table.boolean('show_time').notNullable().defaultTo(false)
      table.string('token', 64).nullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['meeting_id'])
    })

    this.schema.createTable('room_highlights', (table) => {
      table.increments('id')
      organisation(table)
      table
        .integer('room_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('rooms')
        .onDelete('CASCADE')
      table
        .integer('proposal_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('proposals')
        .onDelete('CASCADE')
      table.integer('order').notNullable().defaultTo(0)
      table.unique(['room_id', 'proposal_id'])
    })

    this.schema.createTable('speaker_list_systems', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      table
        .integer('room_id')
        .unsigned()
        .notNullable()
        .unique()
        .references('id')
        .inTable('rooms')
        .onDelete('CASCADE')
      table.string('state', 20).notNullable().defaultTo('active')
      table.string('method_name', 30).notNullable().defaultTo('simple')
      table.json('settings').notNullable()
      table.integer('safe_positions').notNullable().defaultTo(1)
      table.integer('active_list_id').unsigned().nullable()
      table.json('meeting_roles_to_speaker').notNullable()
      table.boolean('show_time').notNullable().defaultTo(false)
      table.integer('speech_seconds').nullable()
      table.integer('point_of_order_seconds').nullable()
      table.boolean('point_of_order_when_closed').notNullable().defaultTo(true)
      table.json('point_of_order_categories').notNullable()
      table.boolean('enforce_time_budgets').notNullable().defaultTo(false)
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['meeting_id'])
    })

    this.schema.createTable('speaker_lists', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      table
        .integer('speaker_system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('speaker_list_systems')
        .onDelete('CASCADE')
      table
        .integer('agenda_item_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('agenda_items')
        .onDelete('SET NULL')
      table.string('title', 200).notNullable()
      table.string('state', 20).notNullable().defaultTo('open')
      table.json('order').notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['speaker_system_id'])
      table.index(['agenda_item_id'])
    })

    this.schema.createTable('speakers', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      table
        .integer('speaker_list_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('speaker_lists')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('kind', 20).notNullable().defaultTo('speech')
      table.string('category', 30).nullable()
      table.bigInteger('created_ms').notNullable()
      table.bigInteger('started_ms').nullable()
      table.bigInteger('running_since_ms').nullable()
      table.bigInteger('paused_at_ms').nullable()
      table.bigInteger('accumulated_ms').notNullable().defaultTo(0)
      table.integer('time_limit').nullable()
      table.integer('seconds').nullable()
      table.string('note', 500).notNullable().defaultTo('')
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['speaker_list_id', 'seconds'])
      table.index(['meeting_id', 'user_id'])
    })

    this.schema.createTable('speaker_system_roles', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      table
        .integer('speaker_system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('speaker_list_systems')
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
      table.unique(['speaker_system_id', 'user_id'])
    })

    this.schema.createTable('speaker_time_budgets', (table) => {
      table.increments('id')
      organisation(table)
      table
        .integer('speaker_system_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('speaker_list_systems')
        .onDelete('CASCADE')
      table
        .integer('meeting_group_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('meeting_groups')
        .onDelete('CASCADE')
      table.integer('seconds').notNullable()
      table.unique(['speaker_system_id', 'meeting_group_id'])
    })
  }

  async down() {
    this.schema.dropTable('speaker_time_budgets')
    this.schema.dropTable('speaker_system_roles')
    this.schema.dropTable('speakers')
    this.schema.dropTable('speaker_lists')
    this.schema.dropTable('speaker_list_systems')
    this.schema.dropTable('room_highlights')
    this.schema.dropTable('rooms')
  }
}
