import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import User from '#models/user'
import OAuth2Provider from '#models/oauth2_provider'

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/** A login method connected to a user: provider + subject (domain §6.4, api.md §6.2). */
export default class UserConnection extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare userId: number

  @column({ columnName: 'oauth2_provider_id' })
  declare oauth2ProviderId: number

  @column()
  declare uid: string

  /** The claims the provider vouched for at the last login (cleared after 365 days). */
  @column(json)
  declare extraData: Record<string, unknown>

  @column.dateTime()
  declare extraDataAt: DateTime | null

  @column.dateTime()
  declare lastLogin: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => OAuth2Provider, { foreignKey: 'oauth2ProviderId' })
  declare provider: BelongsTo<typeof OAuth2Provider>
}
