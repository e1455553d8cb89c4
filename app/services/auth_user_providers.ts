import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import { AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import type { LucidAuthenticatable } from '@adonisjs/auth/types/session'
import type { LucidTokenable } from '@adonisjs/auth/types/access_tokens'
import User from '#models/user'

/*
 | The auth package looks users up with Model.find(id), which the tenancy
 | guard refuses. These providers use User.findForAuthentication instead: an
 | explicit cross-tenant identity lookup whose result the authenticate
 | middleware then checks against the host's organisation.
 */
export class TenantSessionUserProvider extends SessionLucidUserProvider<LucidAuthenticatable> {
  constructor() {
    super({ model: async () => ({ default: User as unknown as LucidAuthenticatable }) })
  }

  async findById(identifier: string | number | bigint) {
    const user = await User.findForAuthentication(identifier as number)
    return user ? this.createUserForGuard(user as any) : null
  }
}

export class TenantTokensUserProvider extends AccessTokensLucidUserProvider<'accessTokens', LucidTokenable<'accessTokens'>> {
  constructor() {
    super({ tokens: 'accessTokens', model: async () => ({ default: User as unknown as LucidTokenable<'accessTokens'> }) })
  }

  async findById(identifier: string | number | bigint) {
    const user = await User.findForAuthentication(identifier as number)
    return user ? this.createUserForGuard(user as any) : null
  }
}
