import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import { isApiPath } from '#services/request_kind'

let shieldMiddleware: Promise<ShieldMiddleware> | undefined

/**
 * Shield (CSRF for the admin forms, security headers) on admin pages. API and
 * realtime requests are exempt from its CSRF check (config/shield.ts; their
 * check is #middleware/api_csrf_middleware), so they only get the same headers
 * instead of a CSRF token minted for nothing on every request. Shield's
 * middleware is resolved once: the container builds it anew on each resolution.
 */
export default class BrowserShieldMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (isApiPath(ctx.request.url())) {
      ctx.response.header('X-Content-Type-Options', 'nosniff')
      ctx.response.header('X-Frame-Options', 'DENY')
      ctx.response.header('Strict-Transport-Security', 'max-age=15552000')
      return next()
    }
    const shield = await (shieldMiddleware ??= app.container.make(ShieldMiddleware))
    return shield.handle(ctx, next)
  }
}
