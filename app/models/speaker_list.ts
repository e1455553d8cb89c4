import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { SpeakerListState } from '#domain/speakers/state_machines'

/** A speaker list (domain §12.1). `order` holds turn ids (docs/speakers.md). */
export default class SpeakerList extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare speakerSystemId: number

  @column()
  declare agendaItemId: number | null

  @column()
  declare title: string

  @column()
  declare state: SpeakerListState

  @column({
    prepare: (value: number[]) => JSON.stringify(value ?? []),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) ?? [],
  })
  declare order: number[]

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
