import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** Speaking-time budget of a meeting group in a speaker system (api.md §11.4). */
export default class SpeakerTimeBudget extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare speakerSystemId: number

  @column()
  declare meetingGroupId: number

  @column()
  declare seconds: number
}
