import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasOne } from '@adonisjs/lucid/orm'
import type { HasOne } from '@adonisjs/lucid/types/relations'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { TenantScoped } from '#models/mixins/tenant_scoped'
import { ThrottledAccessTokensProvider } from '#services/access_token_provider'
import OrganisationRole from '#models/organisation_role'

export const ACCESS_TOKEN_PREFIX = 'vit_'
export const ACCESS_TOKEN_TYPE = 'auth_token'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, TenantScoped, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare userid: string | null

  @column()
  declare firstName: string

  @column()
  declare lastName: string

  @column()
  declare email: string | null

  @column({ serializeAs: null })
  declare password: string | null

  @column({ consume: Boolean })
  declare mustChangePassword: boolean

  @column()
  declare identityId: string | null

  @column()
  declare imgUrl: string | null

  @column({ consume: Boolean })
  declare isActive: boolean

  @column({ consume: Boolean })
  declare isSuperuser: boolean

  @column.dateTime()
  declare lastLogin: DateTime | null

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasOne(() => OrganisationRole)
  declare organisationRole: HasOne<typeof OrganisationRole>

  static accessTokens = new ThrottledAccessTokensProvider({
    tokenableModel: User,
    expiresIn: '90 days',
    prefix: ACCESS_TOKEN_PREFIX,
    table: 'auth_access_tokens',
    type: ACCESS_TOKEN_TYPE,
    tokenSecretLength: 40,
  })

  get fullName() {
    return [this.firstName, this.lastName].filter(Boolean).join(' ')
  }

  /**
   * Identity lookup by primary key for the auth guards. Crosses tenants on
   * purpose: the organisation of the user is then compared with the host's
   * organisation by the tenant middleware (401 auth.wrong_organisation).
   */
  static findForAuthentication(id: number | string) {
    return this.acrossOrganisations('auth guards resolve the logged-in user by id')
      .where('id', id)
      .first()
  }
}
