import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Meeting invitations with their group annotations (domain §16.3, api.md §11.5), the automatic
 * access policy (domain §16.1) and the dialect a meeting was created from (api.md §11.7).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('meeting_invites', (table) => {
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
      // Normalised identity values; each is unique per meeting (nulls allowed many times).
      table.string('email', 254).nullable()
      table.string('swedish_ssn', 12).nullable()
      table.string('member_id', 50).nullable()
      table.json('roles').notNullable()
      table.string('state', 20).notNullable()
      table
        .integer('used_by')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('used_at').nullable()
      // Invitation by link (api.md §11.5): only the SHA-256 of the token is stored.
      table.string('token_hash', 64).nullable().unique()
      table.timestamp('expires').nullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'email'])
      table.unique(['meeting_id', 'swedish_ssn'])
      table.unique(['meeting_id', 'member_id'])
      table.index(['organisation_id', 'email', 'state'])
    })

    this.schema.createTable('meeting_group_annotations', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table
        .integer('meeting_invite_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('meeting_invites')
        .onDelete('CASCADE')
      table
        .integer('meeting_group_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('meeting_groups')
        .onDelete('CASCADE')
      table
        .integer('group_role_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('group_roles')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.unique(['meeting_invite_id', 'meeting_group_id'])
    })

    this.schema.createTable('access_policies', (table) => {
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
      table.string('name', 30).notNullable()
      table.boolean('active').notNullable().defaultTo(false)
      table.json('roles_given').notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'name'])
    })

    this.schema.createTable('meeting_dialects', (table) => {
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
        .unique()
        .references('id')
        .inTable('meetings')
        .onDelete('CASCADE')
      table.string('name', 60).notNullable()
      // null for a dialect file; the stored version for an imported dialect
      table.integer('version').unsigned().nullable()
      // the resolved definition as installed, so later edits of the file do not change the meeting
      table.json('definition').notNullable()
      table.timestamp('installed_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('meeting_dialects')
    this.schema.dropTable('access_policies')
    this.schema.dropTable('meeting_group_annotations')
    this.schema.dropTable('meeting_invites')
  }
}
