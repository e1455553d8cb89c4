import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import { AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import User from '#models/user'

/*
 | The auth package looks users up with Model.find(id), which the tenancy
 | guard refuses. These providers use User.findForAuthentication instead: an
 | explicit cross-tenant identity lookup whose result the authenticate
 | middleware then checks against the host's organisation.
 */
export class TenantSessionUserProvider extends SessionLucidUserProvider<typeof User> {
  constructor() {
    super({ model: async () => ({ default: User }) })
  }

  async findById(identifier: string | number | bigint) {
    const user = await User.findForAuthentication(identifier as number)
    return user ? this.createUserForGuard(user) : null
  }
}

export class TenantTokensUserProvider extends AccessTokensLucidUserProvider<
  'accessTokens',
  typeof User
> {
  constructor() {
    super({ tokens: 'accessTokens', model: async () => ({ default: User }) })
  }

  async findById(identifier: string | number | bigint) {
    const user = await User.findForAuthentication(identifier as number)
    return user ? this.createUserForGuard(user) : null
  }
}
