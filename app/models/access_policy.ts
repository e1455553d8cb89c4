import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import type { MeetingRoleCode } from '#domain/permissions/roles'

/** An access policy of a meeting; only `automatic` (self-service joining) exists (domain §16.1). */
export default class AccessPolicy extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare name: 'automatic'

  @column({ consume: Boolean })
  declare active: boolean

  @column({
    prepare: (value: string[]) => JSON.stringify(value),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
  })
  declare rolesGiven: MeetingRoleCode[]

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
