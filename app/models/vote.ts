import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/**
 * A cast vote while the poll runs (domain §10.2). `voterRef` identifies the
 * voter (HMAC under the poll's key for secret polls); `userId` is set only for
 * open polls. Unique (poll, voter_ref).
 */
export default class Vote extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare pollId: number

  @column({ serializeAs: null })
  declare voterRef: string

  @column()
  declare userId: number | null

  @column({ consume: Boolean })
  declare abstain: boolean

  @column()
  declare voteData: string

  @column()
  declare receiptHash: string

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
