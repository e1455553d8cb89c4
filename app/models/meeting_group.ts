import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import GroupMembership from '#models/group_membership'

/** A meeting group (domain §7.2). */
export default class MeetingGroup extends compose(BaseModel, TenantScoped) {
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
  declare groupid: string

  @column()
  declare votes: number | null

  @column()
  declare delegateToId: number | null

  @column({ consume: Boolean })
  declare showOnSpeaker: boolean

  @column({ consume: Boolean })
  declare postAs: boolean

  @column({
    prepare: (value: string[]) => JSON.stringify(value ?? []),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
  })
  declare tags: string[]

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => GroupMembership)
  declare memberships: HasMany<typeof GroupMembership>
}
