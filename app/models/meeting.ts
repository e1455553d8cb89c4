import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import MeetingRole from '#models/meeting_role'
import type { MeetingState } from '#domain/meetings/state_machine'

/** A meeting (domain §7.1). State changes go through the meeting state machine only. */
export default class Meeting extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare title: string

  @column()
  declare body: string

  @column()
  declare state: MeetingState

  @column.dateTime()
  declare startTime: DateTime | null

  @column.dateTime()
  declare endTime: DateTime | null

  @column({ consume: Boolean })
  declare public: boolean

  @column({ consume: Boolean })
  declare visibleInLists: boolean

  @column({ consume: Boolean })
  declare groupVotesActive: boolean

  @column({ consume: Boolean })
  declare groupRolesActive: boolean

  /** The default of a new poll's `secret` (api.md §11.1). */
  @column({ consume: Boolean })
  declare defaultSecretPolls: boolean

  @column()
  declare erPolicyName: string | null

  @column()
  declare proposalIdPolicyName: string | null

  @column()
  declare installedDialect: string | null

  @column.dateTime()
  declare archiveAfter: DateTime | null

  @column.dateTime()
  declare deleteRequested: DateTime | null

  @column()
  declare preDeleteState: MeetingState | null

  @column()
  declare createdById: number | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => MeetingRole)
  declare roles: HasMany<typeof MeetingRole>
}

/** Fields recorded in the audit log for meetings (domain §19.1). */
export const meetingTrackedFields = [
  'title',
  'body',
  'state',
  'public',
  'visible_in_lists',
  'group_votes_active',
  'group_roles_active',
  'default_secret_polls',
  'er_policy_name',
  'proposal_id_policy_name',
  'installed_dialect',
  'organisation',
] as const

/** The tracked fields of a meeting as plain values, for diffFields(). */
export function meetingAuditState(
  meeting: Meeting
): Record<(typeof meetingTrackedFields)[number], unknown> {
  return {
    title: meeting.title,
    body: meeting.body,
    state: meeting.state,
    public: meeting.public,
    visible_in_lists: meeting.visibleInLists,
    group_votes_active: meeting.groupVotesActive,
    group_roles_active: meeting.groupRolesActive,
    default_secret_polls: meeting.defaultSecretPolls,
    er_policy_name: meeting.erPolicyName,
    proposal_id_policy_name: meeting.proposalIdPolicyName,
    installed_dialect: meeting.installedDialect,
    organisation: meeting.organisationId,
  }
}
