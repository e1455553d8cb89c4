import { BaseSchema } from '@adonisjs/lucid/schema'

/** Revisions of text documents (beyond.md B-ADD-08, SHOULD): version 1 is the body at creation. */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('text_document_versions', (table) => {
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
        .integer('text_document_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('text_documents')
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
      table.unique(['text_document_id', 'version'])
    })
  }

  async down() {
    this.schema.dropTable('text_document_versions')
  }
}
