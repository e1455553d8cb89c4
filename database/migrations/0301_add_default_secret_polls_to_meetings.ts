import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The meeting setting `default_secret_polls` (api.md §11.1): the value a new
 * poll's `secret` takes when the request does not say. Existing meetings keep
 * the previous behaviour (every poll secret by default).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('meetings', (table) => {
      table.boolean('default_secret_polls').notNullable().defaultTo(true)
    })
  }

  async down() {
    this.schema.alterTable('meetings', (table) => {
      table.dropColumn('default_secret_polls')
    })
  }
}
