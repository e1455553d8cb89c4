import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import MeetingGroupAnnotation from '#models/meeting_group_annotation'
import type { MeetingRoleCode } from '#domain/permissions/roles'
import type { InviteState } from '#domain/invitations/state_machine'
import type { UserData } from '#domain/invitations/identity'

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/** An invitation to a meeting (domain §16.3). Identity values are stored normalised, one column each. */
export default class MeetingInvite extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare email: string | null

  @column()
  declare swedishSsn: string | null

  @column()
  declare memberId: string | null

  @column(json)
  declare roles: MeetingRoleCode[]

  @column()
  declare state: InviteState

  @column()
  declare usedBy: number | null

  @column.dateTime()
  declare usedAt: DateTime | null

  @column({ serializeAs: null })
  declare tokenHash: string | null

  @column.dateTime()
  declare expires: DateTime | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => MeetingGroupAnnotation)
  declare annotations: HasMany<typeof MeetingGroupAnnotation>

  get userData(): UserData {
    const data: UserData = {}
    if (this.email !== null) data.email = this.email
    if (this.swedishSsn !== null) data.swedish_ssn = this.swedishSsn
    if (this.memberId !== null) data.member_id = this.memberId
    return data
  }

  set userData(data: UserData) {
    this.email = data.email ?? null
    this.swedishSsn = data.swedish_ssn ?? null
    this.memberId = data.member_id ?? null
  }
}
