import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { errors as lucidErrors } from '@adonisjs/lucid'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { DomainError, statusForCode } from '#domain/errors'
import { wantsJson } from '#services/request_kind'
import { i18nFor, localiseError, localiseMeta, localiseValidation } from '#services/api_messages'
import type { I18n } from '@adonisjs/i18n'

interface ApiError {
  code: string
  message: string
  field?: string
  rule?: string
  meta?: Record<string, unknown>
}

/**
 * Maps every error to the shape of api.md §4.1 for the JSON API, and to a
 * flash message + redirect back for the admin screens. Never a stack trace
 * outside development.
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction && !app.inTest

  protected renderStatusPages = app.inProduction

  protected statusPages = {
    '404': (_: unknown, { view }: HttpContext) => view.render('pages/errors/not_found'),
    '500..599': (_: unknown, { view }: HttpContext) => view.render('pages/errors/server_error'),
  }

  async handle(error: unknown, ctx: HttpContext) {
    if (wantsJson(ctx)) {
      // Messages in the request's language (api.md §1); codes never change. ctx.i18n
      // is missing only when the error came before the locale middleware ran.
      const i18n = ctx.i18n ?? i18nFor(ctx.request.header('accept-language'))
      const [status, errors, headers] = this.toApiError(error, i18n)
      for (const [name, value] of Object.entries(headers)) ctx.response.header(name, value)
      ctx.response.header('Content-Language', i18n.locale)
      return ctx.response.status(status).send({ errors })
    }

    if (error instanceof DomainError) {
      const status = statusForCode(error.code)
      if (status === 404)
        return ctx.response.status(404).send(await ctx.view.render('pages/errors/not_found'))
      ctx.session.flash('error', error.message)
      return ctx.response.redirect().back()
    }
    if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
      return ctx.response.redirect('/admin/login')
    }
    // A refused admin page is a 403 page in the admin layout; a refused form post is flashed back by Bouncer.
    if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE && ctx.request.method() === 'GET') {
      return ctx.response.status(403).send(await ctx.view.render('pages/errors/forbidden'))
    }
    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    // Refusals the API answers on purpose (4xx domain errors) are not server errors.
    if (error instanceof DomainError && statusForCode(error.code) < 500) return
    return super.report(error, ctx)
  }

  /** The api.md §4 answer of `error`, each message in the language of `i18n` (docs/i18n.md). */
  private toApiError(error: unknown, i18n: I18n): [number, ApiError[], Record<string, string>] {
    const one = (code: string, message: string): ApiError[] => [
      { code, message: localiseError(i18n, { code, message }) },
    ]
    if (error instanceof DomainError) {
      const { field, rule, meta, params } = error.details
      // Cool-downs and throttles tell the client when to retry (api.md §4.2).
      const headers: Record<string, string> =
        typeof meta?.retry_after === 'number' ? { 'Retry-After': String(meta.retry_after) } : {}
      return [
        statusForCode(error.code),
        [
          {
            code: error.code,
            message: localiseError(
              i18n,
              { code: error.code, message: error.message, field, rule, meta },
              params
            ),
            field,
            rule,
            meta: localiseMeta(i18n, meta),
          },
        ],
        headers,
      ]
    }
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      const messages = error.messages as Array<{
        field: string
        message: string
        rule: string
        meta?: Record<string, unknown>
      }>
      return [
        422,
        messages.map((entry) => ({
          code: 'validation.failed',
          message: localiseValidation(i18n, entry),
          field: entry.field,
          rule: entry.rule,
        })),
        {},
      ]
    }
    if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
      return [401, one('auth.unauthenticated', 'Authentication required'), {}]
    }
    if (error instanceof authErrors.E_INVALID_CREDENTIALS) {
      return [422, one('auth.invalid_credentials', 'Invalid email or password'), {}]
    }
    if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE) {
      return [403, one('permission.denied', 'You do not have permission to do that'), {}]
    }
    if (error instanceof lucidErrors.E_ROW_NOT_FOUND) {
      return [404, one('not_found', 'Not found'), {}]
    }
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      const headers = Object.fromEntries(
        Object.entries(error.getDefaultHeaders()).map(([name, value]) => [name, String(value)])
      )
      return [429, one('throttled', 'Too many requests, try again later'), headers]
    }

    const status = this.statusOf(error)
    if (status === 404) return [404, one('not_found', 'Not found'), {}]
    if (status === 413) return [413, one('payload.too_large', 'Request body too large'), {}]
    if (status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'Bad request'
      return [status === 422 ? 400 : status, one('bad_request', message), {}]
    }
    const message = this.debug && error instanceof Error ? error.message : 'Internal server error'
    return [500, one('server_error', message), {}]
  }

  private statusOf(error: unknown): number {
    if (
      error &&
      typeof error === 'object' &&
      'status' in error &&
      typeof error.status === 'number'
    ) {
      return error.status
    }
    return 500
  }
}
