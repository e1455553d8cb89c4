import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** One imported version of a dialect for one organisation (api.md §11.7). */
export default class Dialect extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare name: string

  @column()
  declare version: number

  @column()
  declare title: string

  @column()
  declare yaml: string

  @column.dateTime()
  declare importedAt: DateTime

  @column()
  declare importedBy: number | null
}
