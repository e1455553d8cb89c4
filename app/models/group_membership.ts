import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/**
 * A user's membership of a meeting group (domain §7.2). `votes` is the weight
 * the member will get at the next electoral register creation, not live voting power.
 */
export default class GroupMembership extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare meetingGroupId: number

  @column()
  declare userId: number

  @column()
  declare groupRoleId: number | null

  @column()
  declare votes: number | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
