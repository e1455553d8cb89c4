import type { I18n } from '@adonisjs/i18n'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { i18nFor } from '#services/api_messages'
import { isApiPath } from '#services/request_kind'

/**
 * Picks the language of the request's messages from Accept-Language
 * (api.md §1: `en` or `sv`, fallback `en`) and shares it as `ctx.i18n`.
 * Server middleware, so that unrouted requests (404) are covered too.
 * API answers say which language they are in (Content-Language); the
 * admin UI stays English and gets no header.
 */
export default class DetectUserLocaleMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    ctx.i18n = i18nFor(ctx.request.header('accept-language'))
    if (isApiPath(ctx.request.url())) {
      ctx.response.header('Content-Language', ctx.i18n.locale)
      ctx.response.append('Vary', 'Accept-Language')
    }
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    i18n: I18n
  }
}
