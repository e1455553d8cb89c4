/*
|--------------------------------------------------------------------------
| Rate limiters
|--------------------------------------------------------------------------
*/
import limiter from '@adonisjs/limiter/services/main'

/** Login attempts per client address (api.md §3.2). */
export const LOGIN_ATTEMPTS_PER_IP = 20
/** Failed login attempts per account before it is locked out for a while. */
export const LOGIN_FAILURES_PER_ACCOUNT = 5

export const loginThrottleByIp = limiter.define('login_ip', (ctx) => {
  return limiter
    .allowRequests(LOGIN_ATTEMPTS_PER_IP)
    .every('1 minute')
    .usingKey(`ip_${ctx.request.ip()}`)
})
