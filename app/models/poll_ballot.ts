import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** A counted ballot after close, in random order and without voter (api.md §11.2). */
export default class PollBallot extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare pollId: number

  @column()
  declare position: number

  @column({ consume: Boolean })
  declare abstain: boolean

  @column()
  declare voteData: string | null

  @column()
  declare weight: number

  /** Null for `inclusion`-mode polls: their hashes are in `poll_receipts`. */
  @column()
  declare receiptHash: string | null
}
