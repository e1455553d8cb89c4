import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

export type NoteIntent = '' | 'a' | 'd'

/** A private note of one user on one proposal (domain §14.3); only the owner ever sees it. */
export default class Note extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare agendaItemId: number

  @column()
  declare proposalId: number

  @column()
  declare userId: number

  @column()
  declare body: string

  @column()
  declare intent: NoteIntent

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
