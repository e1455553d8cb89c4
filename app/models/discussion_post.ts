import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

const jsonArray = {
  prepare: (value: unknown[]) => JSON.stringify(value ?? []),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? [])),
}

/** A discussion post in an agenda item (domain §14.1). No state machine. */
export default class DiscussionPost extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare agendaItemId: number

  @column()
  declare body: string

  @column(jsonArray)
  declare tags: string[]

  @column(jsonArray)
  declare mentions: number[]

  @column()
  declare authorId: number | null

  @column()
  declare meetingGroupId: number | null

  @column({ consume: Boolean })
  declare asGroup: boolean

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

/** Audited fields (domain §19.1). */
export const discussionPostTrackedFields = [
  'agenda_item',
  'author',
  'meeting_group',
  'as_group',
  'body',
] as const

export function discussionPostAuditState(
  post: DiscussionPost
): Record<(typeof discussionPostTrackedFields)[number], unknown> {
  return {
    agenda_item: post.agendaItemId,
    author: post.authorId,
    meeting_group: post.meetingGroupId,
    as_group: post.asGroup,
    body: post.body,
  }
}
