import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import app from '@adonisjs/core/services/app'
import StaticMiddleware from '@adonisjs/static/static_middleware'
import { isApiPath } from '#services/request_kind'

let staticMiddleware: Promise<StaticMiddleware> | undefined

/** Files from public/, looked up on disk for every request except API and realtime ones. */
export default class StaticFilesMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (isApiPath(ctx.request.url())) return next()
    const files = await (staticMiddleware ??= app.container.make(StaticMiddleware))
    return files.handle(ctx, next)
  }
}
