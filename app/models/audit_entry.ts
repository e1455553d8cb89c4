import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

export type AuditAction = 'create' | 'update' | 'delete' | 'access'
export type AuditSource = 'api' | 'admin' | 'cli' | 'job' | 'token_api'

/** Append-only (domain §19.1): written by #services/audit_log only, never updated or deleted. */
export default class AuditEntry extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number | null

  @column()
  declare agendaItemId: number | null

  @column()
  declare actorUserId: number | null

  @column()
  declare actorApiKeyId: number | null

  @column()
  declare source: AuditSource

  @column()
  declare action: AuditAction

  @column()
  declare event: string

  @column()
  declare model: string

  @column()
  declare objectId: string | null

  @column({
    prepare: (value: unknown) => JSON.stringify(value),
    consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
  })
  declare changes: Record<string, [unknown, unknown]>

  @column()
  declare remoteAddr: string | null

  @column()
  declare requestId: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
