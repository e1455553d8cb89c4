import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** "I'm here" flag of a participant in a meeting (domain §15.2). */
export default class ActiveUser extends compose(BaseModel, TenantScoped) {
  static table = 'active_users'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare userId: number

  @column.dateTime()
  declare createdAt: DateTime
}
