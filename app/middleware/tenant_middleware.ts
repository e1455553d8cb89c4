import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type Organisation from '#models/organisation'
import { resolveOrganisationByHost } from '#services/tenancy'
import { wantsJson } from '#services/request_kind'
import { localiseError } from '#services/api_messages'

/**
 * Resolves the organisation from the Host header for every routed request
 * (API, admin, SSE). Unknown host: 404 (JSON for the API, a page otherwise).
 */
export default class TenantMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const organisation = await resolveOrganisationByHost(ctx.request.header('host'))
    if (!organisation) {
      if (wantsJson(ctx)) {
        const message = localiseError(ctx.i18n, {
          code: 'not_found',
          message: 'No organisation on this host',
        })
        return ctx.response.status(404).send({ errors: [{ code: 'not_found', message }] })
      }
      return ctx.response.status(404).send(await ctx.view.render('pages/errors/unknown_host'))
    }
    ctx.organisation = organisation
    if (!wantsJson(ctx)) ctx.view.share({ organisation })
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    organisation: Organisation
  }
}
