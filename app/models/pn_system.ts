import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** The participant-number system of a meeting (domain §15.5); its existence enables the module. */
export default class PnSystem extends compose(BaseModel, TenantScoped) {
  static table = 'pn_systems'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
