import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/**
 * The receipt hash of a counted ballot of an `inclusion`-mode poll (B-NEW-02),
 * kept apart from `poll_ballots` and written in hash order at close, so no
 * column or row order links it to a ballot.
 */
export default class PollReceipt extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare pollId: number

  @column()
  declare receiptHash: string
}
