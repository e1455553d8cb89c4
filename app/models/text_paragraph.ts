import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** A numbered paragraph of a text document; its tag is `{base_tag}-{paragraph_id}` (domain §9.2). */
export default class TextParagraph extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare agendaItemId: number

  @column()
  declare textDocumentId: number

  @column()
  declare paragraphId: number

  @column()
  declare body: string
}
