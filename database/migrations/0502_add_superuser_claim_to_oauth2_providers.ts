import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The "permission bump" of domain §6.4: the name of a boolean claim by which
 * the provider states that the person is a superuser of the identity service
 * (null: the provider is not trusted for that).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('oauth2_providers', (table) => {
      table.string('superuser_claim', 100).nullable()
    })
  }

  async down() {
    this.schema.alterTable('oauth2_providers', (table) => {
      table.dropColumn('superuser_claim')
    })
  }
}
