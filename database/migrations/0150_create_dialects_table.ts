import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Dialects imported into one organisation (api.md §11.7): every import of a name adds a new
 * version; the YAML is stored as validated, so a meeting can record the exact version it used.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('dialects', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table.string('name', 60).notNullable()
      table.integer('version').unsigned().notNullable()
      table.string('title', 100).notNullable()
      table.text('yaml').notNullable()
      table.timestamp('imported_at').notNullable()
      table
        .integer('imported_by')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.unique(['organisation_id', 'name', 'version'])
    })
  }

  async down() {
    this.schema.dropTable('dialects')
  }
}
