import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { Dialect } from '#domain/dialects/dialect'

/**
 * The dialect installed on a meeting (api.md §11.7): name, stored version (null for a file) and the
 * resolved definition as installed. `meetings.installed_dialect` carries the name (domain §7.1).
 */
export default class MeetingDialect extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare name: string

  @column()
  declare version: number | null

  @column({
    prepare: (value: unknown) => JSON.stringify(value),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
  })
  declare definition: Dialect

  @column.dateTime()
  declare installedAt: DateTime
}
