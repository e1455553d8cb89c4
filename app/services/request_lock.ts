import type { HttpContext } from '@adonisjs/core/http'
import locks from '@adonisjs/lock/services/main'
import { DomainError } from '#domain/errors'

/** D6: cool-down after a heavy operation, in seconds. */
export const REQUEST_COOLDOWN_SECONDS = 5

/**
 * The caller of a heavy request (domain §4.5): the browser login, else the bearer token, else the
 * user. Callers from the CLI pass their own key.
 */
export function requestLockKey(ctx: HttpContext): string {
  if (ctx.authMethod === 'token') {
    const token = ctx.auth.use('api').user?.currentAccessToken
    if (token) return `token:${String(token.identifier)}`
  }
  // API cookie logins and admin screens both run on a tracked browser login.
  if (ctx.authMethod !== 'token') {
    const loginId = ctx.session?.get('browser_login_id')
    if (loginId) return `login:${loginId}`
  }
  return `user:${ctx.currentUser?.id ?? 'anonymous'}`
}

/**
 * Runs a heavy operation under the caller's request lock (domain §4.5): another heavy request
 * of the same caller while one runs → 409 `request.already_running`; a new one within the
 * cool-down after the previous finished → 429 `request.cooldown` with `Retry-After`. The lock
 * store is the app's (database or Redis), so it holds across instances.
 */
export async function withRequestLock<T>(key: string, operation: () => Promise<T>): Promise<T> {
  const cooldown = locks.createLock(`request-cooldown:${key}`, `${REQUEST_COOLDOWN_SECONDS}s`)
  if (await cooldown.isLocked()) {
    throw new DomainError(
      'request.cooldown',
      `Please wait ${REQUEST_COOLDOWN_SECONDS} seconds before the next import`,
      {
        meta: { retry_after: REQUEST_COOLDOWN_SECONDS },
      }
    )
  }
  const running = locks.createLock(`request-running:${key}`, '10m')
  if (!(await running.acquireImmediately())) {
    throw new DomainError(
      'request.already_running',
      'Another heavy request of yours is still running'
    )
  }
  try {
    return await operation()
  } finally {
    await running.release()
    // Held until its TTL ends: that is the cool-down.
    await locks
      .createLock(`request-cooldown:${key}`, `${REQUEST_COOLDOWN_SECONDS}s`)
      .acquireImmediately()
  }
}
