import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import encryption from '@adonisjs/core/services/encryption'
import { TenantScoped } from '#models/mixins/tenant_scoped'

const SECRET_PURPOSE = 'oauth2_provider.client_secret'

export type OAuth2ProviderKind = 'oidc'

/**
 * A login provider of one organisation (domain §6.4). The client secret is
 * stored encrypted with the app key; read it with `clientSecret()`.
 */
export default class OAuth2Provider extends compose(BaseModel, TenantScoped) {
  static table = 'oauth2_providers'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  /** Slug used in /auth/{provider}/… */
  @column()
  declare providerId: string

  @column()
  declare title: string

  @column()
  declare kind: OAuth2ProviderKind

  @column()
  declare scope: string

  @column()
  declare clientId: string

  @column({ columnName: 'client_secret', serializeAs: null })
  declare clientSecretEncrypted: string

  /** The issuer URL; discovery is read from `{oidc_endpoint}/.well-known/openid-configuration`. */
  @column()
  declare oidcEndpoint: string

  @column({ consume: Boolean })
  declare pkce: boolean

  @column({ consume: Boolean })
  declare primary: boolean

  @column({ consume: Boolean })
  declare hidden: boolean

  /** A boolean claim that, when true, grants `org_manager` at login (domain §6.4); null = not trusted. */
  @column()
  declare superuserClaim: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  static encryptSecret(secret: string): string {
    return encryption.encrypt(secret, { purpose: SECRET_PURPOSE })
  }

  clientSecret(): string {
    const plain = encryption.decrypt<string>(this.clientSecretEncrypted, SECRET_PURPOSE)
    if (plain === null)
      throw new Error(`Cannot decrypt the client secret of login provider ${this.providerId}`)
    return plain
  }
}
