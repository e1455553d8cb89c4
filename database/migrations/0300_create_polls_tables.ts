import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Polls, votes, electoral registers and vote transfers (domain §10, §11), plus
 * the additions of beyond.md: secret polls (B-ADD-06), receipts (B-NEW-02),
 * signed result bundles (B-NEW-01).
 *
 * Secrecy design (docs/polls.md): `votes` references the voter by `voter_ref`
 * (an HMAC of the user id under a per-poll key, or the plain user id for open
 * polls); who took part is kept separately in `poll_participations`. At close
 * the counted ballots are copied to `poll_ballots` in random order and, for
 * secret polls, the vote rows and the per-poll key are deleted.
 */
export default class extends BaseSchema {
  async up() {
    const org = (table: any) =>
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

    this.schema.createTable('electoral_registers', (table) => {
      table.increments('id')
      org(table)
      meeting(table)
      table.string('source', 30).notNullable()
      // user id → weight; written once at creation (domain §11.1)
      table.json('voter_data').notNullable()
      table.integer('voters').notNullable().defaultTo(0)
      table.integer('total_weight').notNullable().defaultTo(0)
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at', { precision: 6 }).notNullable()
      table.index(['meeting_id', 'id'])
    })

    this.schema.createTable('vote_transfers', (table) => {
      table.increments('id')
      org(table)
      meeting(table)
      table
        .integer('source_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table
        .integer('target_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('CASCADE')
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['meeting_id', 'source_id'])
    })

    this.schema.createTable('polls', (table) => {
      table.increments('id')
      org(table)
      meeting(table)
      table
        .integer('agenda_item_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('agenda_items')
        .onDelete('CASCADE')
      table.string('title', 70).notNullable()
      table.text('body').notNullable().defaultTo('')
      table.string('method_name', 20).notNullable()
      table.json('settings').nullable()
      table.string('state', 20).notNullable().defaultTo('private')
      table.string('p_ord', 1).notNullable().defaultTo('c')
      table.boolean('withheld_result').notNullable().defaultTo(false)
      table.boolean('secret').notNullable().defaultTo(true)
      table.json('quorum').nullable()
      table.json('majority').nullable()
      table.timestamp('close_at').nullable()
      table.timestamp('started_at').nullable()
      table.timestamp('closed_at').nullable()
      table
        .integer('electoral_register_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('electoral_registers')
        .onDelete('SET NULL')
      // Write-once finalisation (domain §10.4)
      table.text('ballot_data').nullable()
      table.string('ballot_checksum', 128).nullable()
      table.integer('abstains').nullable()
      table.json('result').nullable()
      table.string('result_reason', 40).nullable()
      // The count document as counted (with its seed), for recounts and bundles
      table.json('count_document').nullable()
      // Register totals and turnout at close (the bundle's `register` block)
      table.json('turnout').nullable()
      // Secret polls: random salt of the per-poll voter key; deleted at close
      table.string('voter_key_salt', 64).nullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['meeting_id', 'state'])
      table.index(['state', 'close_at'])
    })

    this.schema.createTable('poll_proposals', (table) => {
      table.increments('id')
      org(table)
      table
        .integer('poll_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('polls')
        .onDelete('CASCADE')
      table
        .integer('proposal_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('proposals')
        .onDelete('CASCADE')
      table.unique(['poll_id', 'proposal_id'])
      table.index(['proposal_id'])
    })

    this.schema.createTable('votes', (table) => {
      table.increments('id')
      org(table)
      table
        .integer('poll_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('polls')
        .onDelete('CASCADE')
      // HMAC of the user id (secret polls) or "u<user id>" (open polls)
      table.string('voter_ref', 80).notNullable()
      // Open polls only; null for secret polls (domain decision, docs/polls.md)
      table
        .integer('user_id')
        .unsigned()
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('RESTRICT')
      table.boolean('abstain').notNullable().defaultTo(false)
      table.text('vote_data').notNullable().defaultTo('')
      table.string('receipt_hash', 64).notNullable()
      table.integer('rev').notNullable().defaultTo(1)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      // One vote per voter and poll, enforced by the database (domain §10.2)
      table.unique(['poll_id', 'voter_ref'])
    })

    // Who took part (turnout), without the content of the ballot.
    this.schema.createTable('poll_participations', (table) => {
      table.increments('id')
      org(table)
      table
        .integer('poll_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('polls')
        .onDelete('CASCADE')
      table
        .integer('user_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('users')
        .onDelete('RESTRICT')
      table.timestamp('created_at').notNullable()
      table.unique(['poll_id', 'user_id'])
    })

    // Counted ballots after close, in random order, never linked to voters.
    this.schema.createTable('poll_ballots', (table) => {
      table.increments('id')
      org(table)
      table
        .integer('poll_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('polls')
        .onDelete('CASCADE')
      table.integer('position').notNullable()
      table.boolean('abstain').notNullable().defaultTo(false)
      table.text('vote_data').nullable()
      table.integer('weight').notNullable()
      table.string('receipt_hash', 64).notNullable()
      table.unique(['poll_id', 'position'])
    })

    this.schema.createTable('organisation_signing_keys', (table) => {
      table.increments('id')
      org(table)
      table.string('algorithm', 20).notNullable().defaultTo('Ed25519')
      table.string('public_key', 64).notNullable()
      table.text('private_key_encrypted').notNullable()
      table.boolean('active').notNullable().defaultTo(true)
      table.timestamp('created_at').notNullable()
      table.index(['organisation_id', 'active'])
    })
  }

  async down() {
    this.schema.dropTable('organisation_signing_keys')
    this.schema.dropTable('poll_ballots')
    this.schema.dropTable('poll_participations')
    this.schema.dropTable('votes')
    this.schema.dropTable('poll_proposals')
    this.schema.dropTable('polls')
    this.schema.dropTable('vote_transfers')
    this.schema.dropTable('electoral_registers')
  }
}
