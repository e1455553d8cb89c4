import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Receipt mode per poll (beyond.md B-NEW-02, docs/polls.md). `content`: the
 * receipt hash stays on its published ballot row (api.md §11.2). `inclusion`:
 * the ballot rows keep no hash; the hashes of the poll are kept apart in
 * `poll_receipts`, written sorted at close, so nothing in the database links
 * a hash to a ballot. Existing polls keep what they did (`content`).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('polls', (table) => {
      table.string('receipt_mode', 10).notNullable().defaultTo('content')
    })
    this.schema.alterTable('poll_ballots', (table) => {
      table.string('receipt_hash', 64).nullable().alter()
    })
    this.schema.createTable('poll_receipts', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table
        .integer('poll_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('polls')
        .onDelete('CASCADE')
      table.string('receipt_hash', 64).notNullable()
      table.index(['poll_id', 'receipt_hash'])
    })
  }

  async down() {
    this.schema.dropTable('poll_receipts')
    this.schema.alterTable('poll_ballots', (table) => {
      table.string('receipt_hash', 64).notNullable().alter()
    })
    this.schema.alterTable('polls', (table) => {
      table.dropColumn('receipt_mode')
    })
  }
}
