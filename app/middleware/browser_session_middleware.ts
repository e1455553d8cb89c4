import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import { isApiPath } from '#services/request_kind'

let sessionMiddleware: Promise<SessionMiddleware<any>> | undefined

/**
 * The session, except for API and realtime requests with an Authorization
 * header: those are never authenticated by their cookie (api.md §3), and a
 * session there would be started, written and sent back as a freshly encrypted
 * cookie on every bearer request (docs/performance.md).
 */
export default class BrowserSessionMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.request.header('authorization') && isApiPath(ctx.request.url())) return next()
    const session = await (sessionMiddleware ??= app.container.make(SessionMiddleware))
    return session.handle(ctx, next)
  }
}
