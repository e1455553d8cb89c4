import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Text documents, paragraphs, proposals (and amendments), proposal versions
 * (domain §9, beyond.md B-ADD-08). Authors and groups are RESTRICT: a user or
 * group with proposals cannot be hard-deleted (domain §9.1, §7.2).
 */
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

    this.schema.createTable('text_documents', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      agendaItem(table)
      table.string('title', 255).notNullable()
      table.text('body').notNullable().defaultTo('')
      table.string('base_tag', 40).notNullable()
      table
        .integer('author_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['agenda_item_id', 'base_tag'])
    })

    this.schema.createTable('text_paragraphs', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      agendaItem(table)
      table
        .integer('text_document_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('text_documents')
        .onDelete('CASCADE')
      table.integer('paragraph_id').notNullable()
      table.text('body').notNullable()
      table.unique(['text_document_id', 'paragraph_id'])
    })

    this.schema.createTable('proposals', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      agendaItem(table)
      table.string('shortname', 20).notNullable().defaultTo('proposal')
      table.string('prop_id', 50).notNullable()
      table.text('body').notNullable().defaultTo('')
      table.string('title', 100).notNullable().defaultTo('')
      table.string('state', 20).notNullable().defaultTo('published')
      table.json('tags').notNullable()
      table.json('mentions').notNullable()
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
      // Amendments only; a paragraph with amendments cannot be deleted (domain §9.3).
      table
        .integer('paragraph_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('text_paragraphs')
        .onDelete('RESTRICT')
      // Brief HTML diff against the paragraph, stored on save: the paragraph is frozen once amended.
      table.text('body_diff_brief').nullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      // D20: prop_id unique per meeting; the race backstop of the id policies.
      table.unique(['meeting_id', 'prop_id'])
      table.index(['agenda_item_id', 'created_at'])
    })

    this.schema.createTable('proposal_versions', (table) => {
      table.increments('id')
      organisation(table)
      meeting(table)
      table
        .integer('proposal_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('proposals')
        .onDelete('CASCADE')
      table.integer('version').notNullable()
      table.text('body').notNullable()
      table
        .integer('editor_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('created_at').notNullable()
      table.unique(['proposal_id', 'version'])
    })
  }

  async down() {
    this.schema.dropTable('proposal_versions')
    this.schema.dropTable('proposals')
    this.schema.dropTable('text_paragraphs')
    this.schema.dropTable('text_documents')
  }
}
