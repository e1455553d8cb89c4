import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Meeting groups, group roles and memberships (domain §7.2, §3.5). Vote data
 * (`votes` on groups and memberships, `delegate_to`) is stored now so that the
 * electoral register policies (domain §11) can use it later without a migration.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('group_roles', (table) => {
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
      table.string('role_id', 50).notNullable()
      table.json('roles').notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'role_id'])
      table.unique(['meeting_id', 'title'])
    })

    this.schema.createTable('meeting_groups', (table) => {
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
      table.string('title', 255).notNullable()
      table.text('body').notNullable().defaultTo('')
      table.string('groupid', 100).notNullable()
      table.integer('votes').nullable()
      // Deleting a delegation target is refused by the action; the FK backs it up.
      table
        .integer('delegate_to_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('meeting_groups')
        .onDelete('RESTRICT')
      table.boolean('show_on_speaker').notNullable().defaultTo(true)
      table.boolean('post_as').notNullable().defaultTo(false)
      table.json('tags').notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'groupid'])
      // A group MUST NOT delegate to itself (domain §7.2, database check).
      table.check(
        '?? is null or ?? <> ??',
        ['delegate_to_id', 'delegate_to_id', 'id'],
        'meeting_groups_no_self_delegation'
      )
    })

    this.schema.createTable('group_memberships', (table) => {
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
        .integer('meeting_group_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('meeting_groups')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('group_role_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('group_roles')
        .onDelete('SET NULL')
      table.integer('votes').nullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['user_id', 'meeting_group_id'])
      table.index(['meeting_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('group_memberships')
    this.schema.dropTable('meeting_groups')
    this.schema.dropTable('group_roles')
  }
}
