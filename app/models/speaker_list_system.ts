import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { SpeakerSystemState } from '#domain/speakers/state_machines'
import type { MethodSettings, SpeakerListMethodName } from '#domain/speakers/methods'

const json = {
  prepare: (value: unknown) => JSON.stringify(value ?? null),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/** The speaker list system of a room (domain §12.1); also a role context. */
export default class SpeakerListSystem extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare roomId: number

  @column()
  declare state: SpeakerSystemState

  @column()
  declare methodName: SpeakerListMethodName

  @column(json)
  declare settings: MethodSettings

  @column()
  declare safePositions: number

  @column()
  declare activeListId: number | null

  @column(json)
  declare meetingRolesToSpeaker: string[]

  @column({ consume: Boolean })
  declare showTime: boolean

  /** Countdown per speech in seconds (null = none), api.md §11.4. */
  @column()
  declare speechSeconds: number | null

  @column()
  declare pointOfOrderSeconds: number | null

  @column({ consume: Boolean })
  declare pointOfOrderWhenClosed: boolean

  @column(json)
  declare pointOfOrderCategories: string[]

  @column({ consume: Boolean })
  declare enforceTimeBudgets: boolean

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

export const speakerSystemTrackedFields = [
  'state',
  'method_name',
  'settings',
  'safe_positions',
  'active_list',
  'meeting_roles_to_speaker',
  'show_time',
  'speech_seconds',
  'point_of_order_seconds',
  'point_of_order_when_closed',
  'point_of_order_categories',
  'enforce_time_budgets',
] as const

export function speakerSystemAuditState(
  system: SpeakerListSystem
): Record<(typeof speakerSystemTrackedFields)[number], unknown> {
  return {
    state: system.state,
    method_name: system.methodName,
    settings: system.settings,
    safe_positions: system.safePositions,
    active_list: system.activeListId,
    meeting_roles_to_speaker: system.meetingRolesToSpeaker,
    show_time: system.showTime,
    speech_seconds: system.speechSeconds,
    point_of_order_seconds: system.pointOfOrderSeconds,
    point_of_order_when_closed: system.pointOfOrderWhenClosed,
    point_of_order_categories: system.pointOfOrderCategories,
    enforce_time_budgets: system.enforceTimeBudgets,
  }
}
