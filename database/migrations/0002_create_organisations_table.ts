import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('organisations', (table) => {
      table.increments('id')
      table.string('title', 255).notNullable()
      table.boolean('active').notNullable().defaultTo(true)
      table.text('body').notNullable().defaultTo('')
      table.text('help_info').notNullable().defaultTo('')
      table.string('page_title', 255).notNullable().defaultTo('')
      table.string('id_host', 255).nullable()
      table.json('colors').notNullable().defaultTo('{}')
      table.json('scope').notNullable().defaultTo('[]')
      table.json('settings').notNullable().defaultTo('{}')
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    // A host name belongs to at most one organisation (domain §1.2).
    this.schema.createTable('organisation_hosts', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table.string('host', 255).notNullable().unique()
      table.index(['organisation_id'])
    })
  }

  async down() {
    this.schema.dropTable('organisation_hosts')
    this.schema.dropTable('organisations')
  }
}
