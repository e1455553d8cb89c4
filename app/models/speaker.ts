import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { TurnKind } from '#domain/speakers/types'
import type { TurnClock } from '#domain/speakers/timers'

/** PostgreSQL returns bigint as a string. */
const bigint = {
  consume: (value: unknown) => (value === null || value === undefined ? null : Number(value)),
}

/** One turn on a speaker list (domain §12.1, beyond.md B-ADD-01/02). */
export default class Speaker extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare speakerListId: number

  @column()
  declare userId: number

  @column()
  declare kind: TurnKind

  @column()
  declare category: string | null

  /** Queue tie-breaker (ms). */
  @column(bigint)
  declare createdMs: number

  @column(bigint)
  declare startedMs: number | null

  @column(bigint)
  declare runningSinceMs: number | null

  @column(bigint)
  declare pausedAtMs: number | null

  @column(bigint)
  declare accumulatedMs: number

  @column()
  declare timeLimit: number | null

  @column()
  declare seconds: number | null

  @column()
  declare note: string

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  get isSpeaking() {
    return this.startedMs !== null && this.seconds === null
  }

  get isQueued() {
    return this.startedMs === null && this.seconds === null
  }

  get clock(): TurnClock {
    return {
      runningSince: this.runningSinceMs,
      pausedAt: this.pausedAtMs,
      accumulatedMs: this.accumulatedMs ?? 0,
      limitSeconds: this.timeLimit,
    }
  }

  applyClock(clock: TurnClock) {
    this.runningSinceMs = clock.runningSince
    this.pausedAtMs = clock.pausedAt
    this.accumulatedMs = clock.accumulatedMs
    this.timeLimit = clock.limitSeconds
  }
}
