import { timingSafeEqual } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { DomainError } from '#domain/errors'
import { shareXsrfCookie, xsrfToken } from '#services/browser_logins'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * CSRF for the JSON API and the realtime routes (api.md §3.1). Shield's own
 * check is exempt there because it redirects on failure. A cookie-authenticated
 * write (a session with a browser login, no Authorization header) must carry
 * X-XSRF-TOKEN equal to the token issued at login; else 403 auth.csrf_failed.
 * Requests with an Authorization header are never cookie-authenticated.
 */
export default class ApiCsrfMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const expected = xsrfToken(ctx)
    const cookieAuthenticated = expected !== undefined && !ctx.request.header('authorization')
    if (cookieAuthenticated && UNSAFE.has(ctx.request.method())) {
      const given = ctx.request.header('x-xsrf-token') ?? ''
      if (!safeEqual(given, expected)) {
        throw new DomainError('auth.csrf_failed', 'CSRF token missing or wrong')
      }
    }
    if (cookieAuthenticated) shareXsrfCookie(ctx)
    return next()
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
