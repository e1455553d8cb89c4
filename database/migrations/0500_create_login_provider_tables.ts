import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Per-organisation login providers and the accounts linked through them
 * (domain §6.4). `client_secret` holds ciphertext from the app's encryption
 * service, never the plain secret.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('oauth2_providers', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      // The slug in /auth/{provider}/redirect; unique per organisation.
      table.string('provider_id', 50).notNullable()
      table.string('title', 100).notNullable().defaultTo('')
      table.string('kind', 20).notNullable().defaultTo('oidc')
      table.string('scope', 500).notNullable().defaultTo('openid email profile')
      table.string('client_id', 255).notNullable()
      table.text('client_secret').notNullable()
      table.string('oidc_endpoint', 500).notNullable()
      table.boolean('pkce').notNullable().defaultTo(true)
      table.boolean('primary').notNullable().defaultTo(false)
      table.boolean('hidden').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['organisation_id', 'provider_id'])
    })

    // A user's connected login methods (api.md §6.2 connections).
    this.schema.createTable('user_connections', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('oauth2_provider_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('oauth2_providers')
        .onDelete('CASCADE')
      // The provider's subject identifier (`sub`).
      table.string('uid', 255).notNullable()
      table.json('extra_data').notNullable()
      table.timestamp('extra_data_at').nullable()
      table.timestamp('last_login').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['oauth2_provider_id', 'uid'])
      table.index(['user_id'])
    })

    // Logins paused at "which account is yours?" (domain §6.4); purged when stale.
    this.schema.createTable('partial_logins', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table
        .integer('oauth2_provider_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('oauth2_providers')
        .onDelete('CASCADE')
      table.string('token_hash', 64).notNullable().unique()
      table.string('uid', 255).notNullable()
      table.json('claims').notNullable()
      table.json('candidate_user_ids').notNullable()
      table.string('next', 1000).notNullable().defaultTo('/')
      table.timestamp('created_at').notNullable()
    })
  }

  async down() {
    this.schema.dropTable('partial_logins')
    this.schema.dropTable('user_connections')
    this.schema.dropTable('oauth2_providers')
  }
}
