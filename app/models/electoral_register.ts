import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/**
 * An electoral register (domain §11.1): user id → weight, immutable once
 * written. Stored as a list of [user, weight] pairs in user-id order.
 */
export default class ElectoralRegister extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare source: string

  @column({
    prepare: (value: Array<[number, number]>) => JSON.stringify(value),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
  })
  declare voterData: Array<[number, number]>

  @column()
  declare voters: number

  @column()
  declare totalWeight: number

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  get voterMap(): Map<number, number> {
    return new Map(this.voterData.map(([user, weight]) => [Number(user), Number(weight)]))
  }
}
