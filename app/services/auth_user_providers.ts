import { SessionLucidUserProvider } from '@adonisjs/auth/session'
import { AccessTokensLucidUserProvider } from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import User from '#models/user'
import { tokenableOf } from '#services/access_token_provider'

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
  /** Owners read together with their token, until the guard asks for them (findById). */
  #owners = new Map<number, User>()

  constructor() {
    super({ tokens: 'accessTokens', model: async () => ({ default: User }) })
  }

  async verifyToken(tokenValue: Secret<string>) {
    const token = await super.verifyToken(tokenValue)
    const owner = token ? tokenableOf(token) : undefined
    if (token && owner) {
      if (this.#owners.size > 10_000) this.#owners.clear()
      this.#owners.set(Number(token.tokenableId), owner as User)
    }
    return token
  }

  async findById(identifier: string | number | bigint) {
    const id = Number(identifier)
    const owner = this.#owners.get(id)
    if (owner) {
      this.#owners.delete(id)
      return this.createUserForGuard(owner)
    }
    const user = await User.findForAuthentication(id)
    return user ? this.createUserForGuard(user) : null
  }
}
