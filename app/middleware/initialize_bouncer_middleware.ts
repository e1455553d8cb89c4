import { wantsJson } from '#services/request_kind'
import { policies } from '#generated/policies'
import { Bouncer } from '@adonisjs/bouncer'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type User from '#models/user'

/** Creates the request's Bouncer for the user our authenticate middleware identified. */
export default class InitializeBouncerMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    ctx.bouncer = new Bouncer(() => ctx.currentUser ?? null, {}, policies).setContainerResolver(
      ctx.containerResolver
    )
    if (!wantsJson(ctx)) ctx.view.share(ctx.bouncer.edgeHelpers)
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    bouncer: Bouncer<User, {}, typeof policies>
  }
}
