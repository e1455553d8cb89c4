import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/** Echoes X-Request-Id (api.md §1); the framework takes a client's id as the request id. */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const id = ctx.request.id()
    if (id) ctx.response.header('X-Request-Id', id.slice(0, 64))
    ctx.response.header('Cache-Control', 'no-store')
    return next()
  }
}
