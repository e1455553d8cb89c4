import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { logRealtimeError } from '#realtime/hub'
import { touchUser } from '#realtime/presence'

/**
 * Authenticated API requests count as activity (domain §17.5); touchUser
 * writes at most once per user a minute. A router middleware (registered by
 * start/transmit.ts) rather than a `http:request_completed` listener: while
 * that event has any listener, Adonis keeps every request's HttpContext until
 * its response finishes, which for an event stream is its whole life.
 */
export default class ActivityMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    try {
      return await next()
    } finally {
      const user = ctx.currentUser
      if (user && ctx.request.url().startsWith('/api/')) {
        touchUser(user.organisationId, user.id).catch((error) =>
          logRealtimeError(error, 'recording activity')
        )
      }
    }
  }
}
