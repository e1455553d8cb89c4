import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { ReactionContentType } from '#models/reaction_button'

/** One user's reaction with a button on a proposal or post (domain §14.2). */
export default class Reaction extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare agendaItemId: number

  @column()
  declare buttonId: number

  @column()
  declare userId: number

  @column()
  declare contentType: ReactionContentType

  @column()
  declare objectId: number

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
