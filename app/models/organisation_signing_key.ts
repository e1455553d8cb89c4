import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

/** An organisation's Ed25519 key for result bundles (B-NEW-01); private key encrypted at rest. */
export default class OrganisationSigningKey extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare algorithm: string

  @column()
  declare publicKey: string

  @column({ serializeAs: null })
  declare privateKeyEncrypted: string

  @column({ consume: Boolean })
  declare active: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  /** When a rotation replaced the key; null while active. */
  @column.dateTime()
  declare retiredAt: DateTime | null
}
