import { BaseSchema } from '@adonisjs/lucid/schema'

/** Meetings (domain §7.1) and their role assignment rows (domain §3.1, §7.3). */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('meetings', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table.string('title', 100).notNullable()
      table.text('body').notNullable().defaultTo('')
      table.string('state', 20).notNullable().defaultTo('upcoming')
      table.timestamp('start_time').nullable()
      table.timestamp('end_time').nullable()
      table.boolean('public').notNullable().defaultTo(false)
      table.boolean('visible_in_lists').notNullable().defaultTo(false)
      table.boolean('group_votes_active').notNullable().defaultTo(false)
      table.boolean('group_roles_active').notNullable().defaultTo(false)
      table.string('er_policy_name', 30).nullable()
      table.string('proposal_id_policy_name', 30).nullable()
      table.string('installed_dialect', 60).nullable()
      table.timestamp('archive_after').nullable()
      table.timestamp('delete_requested').nullable()
      table.string('pre_delete_state', 20).nullable()
      // Who created it (not in the spec's field list; kept for the admin and audit views).
      table
        .integer('created_by_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['organisation_id', 'state'])
    })

    this.schema.createTable('meeting_roles', (table) => {
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
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.json('assigned').notNullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'user_id'])
      table.index(['user_id'])
    })

    /* Meeting components (domain §15.1): one row per component name per meeting. */
    this.schema.createTable('meeting_components', (table) => {
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
      table.string('component_name', 30).notNullable()
      table.boolean('enabled').notNullable().defaultTo(false)
      table.json('settings').notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'component_name'])
    })
  }

  async down() {
    this.schema.dropTable('meeting_components')
    this.schema.dropTable('meeting_roles')
    this.schema.dropTable('meetings')
  }
}
