import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** A pending group membership (optionally with a group role) attached to an invite (domain §16.3). */
export default class MeetingGroupAnnotation extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingInviteId: number

  @column()
  declare meetingGroupId: number

  @column()
  declare groupRoleId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
