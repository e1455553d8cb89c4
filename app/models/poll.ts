import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { PollState } from '#domain/polls/state_machine'
import type { MajorityRule, QuorumRule } from '#domain/polls/thresholds'
import type { ReceiptMode } from '#domain/polls/receipts'

/** Nullable JSON column (SQLite gives text, PostgreSQL parsed JSON). */
const nullableJson = {
  prepare: (value: unknown) =>
    value === null || value === undefined ? null : JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? null)),
}

export interface PollTurnout {
  voters: number
  total_weight: number
  turnout_voters: number
  turnout_weight: number
}

/** A poll (domain §10.1). State changes go through TransitionPoll / ClosePoll. */
export default class Poll extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare agendaItemId: number | null

  @column()
  declare title: string

  @column()
  declare body: string

  @column()
  declare methodName: string

  @column(nullableJson)
  declare settings: Record<string, unknown> | null

  @column()
  declare state: PollState

  @column()
  declare pOrd: 'c' | 'a' | 'r'

  @column({ consume: Boolean })
  declare withheldResult: boolean

  @column({ consume: Boolean })
  declare secret: boolean

  /** How receipts are published after close (B-NEW-02, docs/polls.md). */
  @column()
  declare receiptMode: ReceiptMode

  @column(nullableJson)
  declare quorum: QuorumRule | null

  @column(nullableJson)
  declare majority: MajorityRule | null

  @column.dateTime()
  declare closeAt: DateTime | null

  @column.dateTime()
  declare startedAt: DateTime | null

  @column.dateTime()
  declare closedAt: DateTime | null

  @column()
  declare electoralRegisterId: number | null

  @column()
  declare ballotData: string | null

  @column()
  declare ballotChecksum: string | null

  @column()
  declare abstains: number | null

  @column(nullableJson)
  declare result: Record<string, unknown> | null

  @column()
  declare resultReason: string | null

  @column(nullableJson)
  declare countDocument: Record<string, unknown> | null

  @column(nullableJson)
  declare turnout: PollTurnout | null

  @column({ serializeAs: null })
  declare voterKeySalt: string | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

export const pollTrackedFields = [
  'title',
  'body',
  'method_name',
  'settings',
  'state',
  'p_ord',
  'withheld_result',
  'secret',
  'receipt_mode',
  'quorum',
  'majority',
  'close_at',
  'electoral_register',
  'ballot_checksum',
] as const

export function pollAuditState(poll: Poll): Record<(typeof pollTrackedFields)[number], unknown> {
  return {
    title: poll.title,
    body: poll.body,
    method_name: poll.methodName,
    settings: poll.settings,
    state: poll.state,
    p_ord: poll.pOrd,
    withheld_result: poll.withheldResult,
    secret: poll.secret,
    receipt_mode: poll.receiptMode,
    quorum: poll.quorum,
    majority: poll.majority,
    close_at: poll.closeAt?.toUTC().toISO() ?? null,
    electoral_register: poll.electoralRegisterId,
    ballot_checksum: poll.ballotChecksum,
  }
}
