import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import BrowserLogin from '#models/browser_login'
import { DomainError } from '#domain/errors'
import type User from '#models/user'

const LOGIN_KEY = 'browser_login_id'
const XSRF_KEY = 'xsrf_token'
export const XSRF_COOKIE = 'XSRF-TOKEN'

/**
 * Establishes a browser login (api.md §3.1): session guard login, a tracked
 * browser_logins row, and a fresh CSRF token for the SPA's X-XSRF-TOKEN header.
 */
export async function startBrowserLogin(ctx: HttpContext, user: User) {
  if (!ctx.session) {
    // Requests with an Authorization header carry no session (#middleware/browser_state_middleware).
    throw new DomainError(
      'bad_request',
      'A browser login cannot be started with an Authorization header'
    )
  }
  await ctx.auth.use('web').login(user)
  user.lastLogin = DateTime.utc()
  await user.save()
  const login = await BrowserLogin.create({
    userId: user.id,
    userAgent: (ctx.request.header('user-agent') ?? '').slice(0, 500) || null,
    ip: ctx.request.ip(),
  })
  ctx.session.put(LOGIN_KEY, login.id)
  ctx.session.put(XSRF_KEY, randomBytes(32).toString('base64url'))
  shareXsrfCookie(ctx)
  return login
}

/**
 * The user of the request's browser login, or null. A session whose login
 * was ended elsewhere (log out everywhere) is logged out here.
 */
export async function browserLoginUser(ctx: HttpContext): Promise<User | null> {
  if (!ctx.session) return null
  const web = ctx.auth.use('web')
  if (!(await web.check())) return null
  const user = web.user!
  if (await isBrowserLoginActive(ctx, user)) return user
  await web.logout()
  return null
}

export async function isBrowserLoginActive(ctx: HttpContext, user: User): Promise<boolean> {
  const loginId = ctx.session?.get(LOGIN_KEY)
  if (!loginId) return false
  const login = await BrowserLogin.query()
    .where('id', loginId)
    .where('user_id', user.id)
    .whereNull('ended_at')
    .first()
  return login !== null
}

export async function endBrowserLogin(ctx: HttpContext) {
  if (!ctx.session) return
  const loginId = ctx.session.get(LOGIN_KEY)
  if (loginId) {
    await BrowserLogin.query()
      .where('id', loginId)
      .whereNull('ended_at')
      .update({ endedAt: DateTime.utc().toSQL() })
  }
  await ctx.auth.use('web').logout()
  ctx.session.forget(LOGIN_KEY)
  ctx.session.forget(XSRF_KEY)
  ctx.response.clearCookie(XSRF_COOKIE)
}

/** Ends every browser login of the user (log out everywhere). */
export async function endAllBrowserLogins(userId: number) {
  await BrowserLogin.query()
    .where('user_id', userId)
    .whereNull('ended_at')
    .update({ endedAt: DateTime.utc().toSQL() })
}

export function xsrfToken(ctx: HttpContext): string | undefined {
  return ctx.session?.get(XSRF_KEY)
}

/** The JavaScript-readable cookie the SPA copies into X-XSRF-TOKEN. */
export function shareXsrfCookie(ctx: HttpContext) {
  const token = xsrfToken(ctx)
  if (token)
    ctx.response.plainCookie(XSRF_COOKIE, token, {
      httpOnly: false,
      encode: false,
      sameSite: 'lax',
    })
}
