import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** One stored body of a text document (beyond.md B-ADD-08). */
export default class TextDocumentVersion extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare textDocumentId: number

  @column()
  declare version: number

  @column()
  declare body: string

  @column()
  declare editorId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
