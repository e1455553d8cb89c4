import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import TextParagraph from '#models/text_paragraph'

/** A text document split into paragraphs that amendments refer to (domain §9.2). */
export default class TextDocument extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare agendaItemId: number

  @column()
  declare title: string

  @column()
  declare body: string

  @column()
  declare baseTag: string

  @column()
  declare authorId: number | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => TextParagraph)
  declare paragraphs: HasMany<typeof TextParagraph>
}

export const textDocumentTrackedFields = ['title', 'body', 'base_tag', 'agenda_item'] as const

export function textDocumentAuditState(
  document: TextDocument
): Record<(typeof textDocumentTrackedFields)[number], unknown> {
  return {
    title: document.title,
    body: document.body,
    base_tag: document.baseTag,
    agenda_item: document.agendaItemId,
  }
}
