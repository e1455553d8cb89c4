import { createHash, timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import Meeting from '#models/meeting'
import User from '#models/user'
import { isKeyActive, type TokenApiScope } from '#domain/integrations/api_keys'

export const hashKeySecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

/** A meeting-scoped API key (domain §18.1). */
export default class MeetingApiKey extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  /** The key's own inactive system user `apikey-<uuid>`. */
  @column()
  declare userId: number

  @column()
  declare prefix: string

  @column({ serializeAs: null })
  declare secretHash: string

  @column()
  declare name: string

  @column({
    prepare: (value: string[]) => JSON.stringify(value),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
  })
  declare scopes: TokenApiScope[]

  @column.dateTime()
  declare expiry: DateTime

  @column.dateTime()
  declare revoked: DateTime | null

  @column.dateTime()
  declare lastUsed: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @belongsTo(() => Meeting)
  declare meeting: BelongsTo<typeof Meeting>

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  isActive(now = new Date()): boolean {
    return isKeyActive(
      { expiry: this.expiry.toJSDate(), revoked: this.revoked?.toJSDate() ?? null },
      now
    )
  }

  secretMatches(secret: string): boolean {
    const given = Buffer.from(hashKeySecret(secret), 'hex')
    const stored = Buffer.from(this.secretHash, 'hex')
    return given.length === stored.length && timingSafeEqual(given, stored)
  }
}

/** Fields recorded in the audit log (domain §19.1); never the secret. */
export const apiKeyTrackedFields = ['name', 'scopes', 'expiry', 'revoked'] as const
