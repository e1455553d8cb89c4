import { BaseSchema } from '@adonisjs/lucid/schema'

/** Discussion posts, reaction buttons and reactions, notes (domain §14). */
export default class extends BaseSchema {
  async up() {
    const organisation = (table: any) =>
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
    const meeting = (table: any) =>
      table
        .integer('meeting_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('meetings')
        .onDelete('CASCADE')
    const agendaItem = (table: any) =>
      table
        .integer('agenda_item_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('agenda_items')
        .onDelete('CASCADE')

    this.schema.createTable('discussion_posts', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      agendaItem(table)
      table.text('body').notNullable()
      table.json('tags').notNullable()
      table.json('mentions').notNullable()
      // A user or group with posts cannot be hard-deleted (domain §14.1, §7.2).
      table
        .integer('author_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('RESTRICT')
      table
        .integer('meeting_group_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('meeting_groups')
        .onDelete('RESTRICT')
      table.boolean('as_group').notNullable().defaultTo(false)
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['agenda_item_id', 'created_at'])
    })

    this.schema.createTable('reaction_buttons', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      table.string('title', 100).notNullable()
      // lower(title): the uniqueness rule (meeting, lower-case title, icon, color) as a plain index.
      table.string('title_key', 100).notNullable()
      table.string('description', 500).notNullable().defaultTo('')
      table.string('icon', 100).notNullable().defaultTo('')
      table.string('color', 50).notNullable().defaultTo('')
      table.json('change_roles').notNullable()
      table.json('list_roles').notNullable()
      table.json('allowed_models').notNullable()
      table.boolean('flag_mode').notNullable().defaultTo(false)
      table.boolean('vote_template').notNullable().defaultTo(false)
      table.boolean('on_presentation').notNullable().defaultTo(false)
      table.boolean('on_vote').notNullable().defaultTo(false)
      table.integer('target').nullable()
      table.integer('order').notNullable().defaultTo(0)
      table.boolean('active').notNullable().defaultTo(true)
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'title_key', 'icon', 'color'])
    })

    this.schema.createTable('reactions', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      agendaItem(table)
      table
        .integer('button_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('reaction_buttons')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('content_type', 20).notNullable()
      table.integer('object_id').notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.unique(['button_id', 'content_type', 'object_id', 'user_id'])
      table.index(['content_type', 'object_id'])
    })

    this.schema.createTable('notes', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      agendaItem(table)
      table
        .integer('proposal_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('proposals')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.text('body').notNullable().defaultTo('')
      table.string('intent', 1).notNullable().defaultTo('')
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['user_id', 'proposal_id'])
      table.index(['meeting_id', 'user_id'])
    })
  }

  async down() {
    this.schema.dropTable('notes')
    this.schema.dropTable('reactions')
    this.schema.dropTable('reaction_buttons')
    this.schema.dropTable('discussion_posts')
  }
}
