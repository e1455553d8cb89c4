import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/**
 * A provider login paused at "which account is yours?" (domain §6.4). The
 * browser holds the token in its session; only its SHA-256 is stored.
 */
export default class PartialLogin extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column({ columnName: 'oauth2_provider_id' })
  declare oauth2ProviderId: number

  @column()
  declare tokenHash: string

  @column()
  declare uid: string

  @column(json)
  declare claims: Record<string, unknown>

  @column(json)
  declare candidateUserIds: number[]

  @column()
  declare next: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
