import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { errors as authErrors } from '@adonisjs/auth'
import { DomainError } from '#domain/errors'
import type User from '#models/user'
import { browserLoginUser } from '#services/browser_logins'
import type { Actor } from '#services/audit_log'
import { withIdempotency } from '#services/idempotency'

export type AuthMethod = 'session' | 'token'

/** What a user with a one-time password may still do (api.md §11.6: change it at first login). */
const PASSWORD_CHANGE_ROUTES = new Set(['api.user.show', 'api.user.password', 'api.user.logout'])

interface AuthenticateOptions {
  /** Let anonymous requests through (ctx.currentUser stays null). */
  optional?: boolean
}

/**
 * Authenticates API requests (api.md §3). A request with an Authorization
 * header is authenticated by that header only, never by its cookie as well;
 * otherwise the browser login (session) is used. The user must belong to the
 * host's organisation, and both must be active (api.md §3.7).
 */
export default class AuthenticateMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: AuthenticateOptions = {}) {
    ctx.currentUser = null
    ctx.authMethod = null
    const user = await this.identify(ctx)

    if (!user) {
      if (options.optional) return next()
      throw new DomainError('auth.unauthenticated', 'Authentication required')
    }
    if (user.organisationId !== ctx.organisation.id) {
      throw new DomainError('auth.wrong_organisation', "You're logged in to another organisation")
    }
    if (!ctx.organisation.active) {
      throw new DomainError('auth.organisation_inactive', 'This organisation is inactive')
    }
    if (!user.isActive) {
      throw new DomainError('auth.user_inactive', 'This account is inactive')
    }
    if (user.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(ctx.route?.name ?? '')) {
      throw new DomainError(
        'auth.password_change_required',
        'Change your one-time password first',
        {
          meta: { path: '/api/user/password' },
        }
      )
    }
    ctx.currentUser = user
    return withIdempotency(ctx, next)
  }

  private async identify(ctx: HttpContext): Promise<User | null> {
    const authorization = ctx.request.header('authorization')
    if (authorization) {
      if (!/^Bearer\s+/i.test(authorization)) {
        throw new DomainError('auth.unauthenticated', 'Unsupported authorization scheme')
      }
      try {
        const user = await ctx.auth.authenticateUsing(['api'])
        ctx.authMethod = 'token'
        const token = ctx.auth.use('api').user?.currentAccessToken
        if (token && !token.allows('*') && !['GET', 'HEAD'].includes(ctx.request.method())) {
          throw new DomainError('permission.denied', 'This token may only read', {
            meta: { permission: 'token.write' },
          })
        }
        return user
      } catch (error) {
        if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
          throw new DomainError('auth.unauthenticated', 'Invalid or expired token')
        }
        throw error
      }
    }

    const user = await browserLoginUser(ctx)
    if (user) ctx.authMethod = 'session'
    return user
  }
}

/** The actor of the current request, for audit entries. */
export function requestActor(ctx: HttpContext, source: Actor['source'] = 'api'): Actor {
  return {
    userId: ctx.currentUser?.id ?? null,
    source,
    requestId: ctx.request.id() ?? null,
    remoteAddr: ctx.request.ip(),
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    currentUser: User | null
    authMethod: AuthMethod | null
  }
}
