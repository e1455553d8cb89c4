import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('users', (table) => {
      table.increments('id')
      table
        .integer('organisation_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('organisations')
        .onDelete('CASCADE')
      table.string('userid', 100).nullable()
      table.string('first_name', 100).notNullable().defaultTo('')
      table.string('last_name', 100).notNullable().defaultTo('')
      table.string('email', 254).nullable()
      table.string('password').nullable()
      table.boolean('must_change_password').notNullable().defaultTo(false)
      table.string('identity_id', 255).nullable()
      table.string('img_url', 1000).nullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.boolean('is_superuser').notNullable().defaultTo(false)
      table.timestamp('last_login').nullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['organisation_id', 'email'])
      table.unique(['organisation_id', 'userid'])
    })

    /*
     | Tracked browser logins: the session only stores the login id, so that
     | "log out everywhere" can end every login whatever the session store.
     */
    this.schema.createTable('browser_logins', (table) => {
      table.increments('id')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('user_agent', 500).nullable()
      table.string('ip', 64).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('ended_at').nullable()
      table.index(['user_id'])
    })

    // @adonisjs/auth access tokens (personal bearer tokens, api.md §3.3).
    this.schema.createTable('auth_access_tokens', (table) => {
      table.increments('id')
      table
        .integer('tokenable_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.string('type').notNullable()
      table.string('name').nullable()
      table.string('hash').notNullable()
      table.text('abilities').notNullable()
      table.timestamp('created_at')
      table.timestamp('updated_at')
      table.timestamp('last_used_at').nullable()
      table.timestamp('expires_at').nullable()
      table.index(['tokenable_id'])
    })
  }

  async down() {
    this.schema.dropTable('auth_access_tokens')
    this.schema.dropTable('browser_logins')
    this.schema.dropTable('users')
  }
}
