import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { AgendaItemState } from '#domain/agenda/state_machine'

/** An agenda item (domain §8.1). */
export default class AgendaItem extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare title: string

  @column()
  declare body: string

  @column()
  declare state: AgendaItemState

  @column()
  declare order: number

  @column({ consume: Boolean })
  declare blockDiscussion: boolean

  @column({ consume: Boolean })
  declare blockProposals: boolean

  @column({
    prepare: (value: string[]) => JSON.stringify(value ?? []),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
  })
  declare tags: string[]

  @column.dateTime()
  declare relatedModified: DateTime | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

export const agendaItemTrackedFields = [
  'state',
  'title',
  'meeting',
  'body',
  'block_discussion',
  'block_proposals',
  'tags',
] as const

export function agendaItemAuditState(
  item: AgendaItem
): Record<(typeof agendaItemTrackedFields)[number], unknown> {
  return {
    state: item.state,
    title: item.title,
    meeting: item.meetingId,
    body: item.body,
    block_discussion: item.blockDiscussion,
    block_proposals: item.blockProposals,
    tags: item.tags,
  }
}
