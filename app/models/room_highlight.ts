import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** A highlighted proposal of a room, in order (domain §13 `HighlightProposal`). */
export default class RoomHighlight extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare roomId: number

  @column()
  declare proposalId: number

  @column()
  declare order: number
}
