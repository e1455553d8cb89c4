import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { errors as lucidErrors } from '@adonisjs/lucid'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { DomainError, statusForCode } from '#domain/errors'
import { wantsJson } from '#services/request_kind'

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
      const [status, errors, headers] = this.toApiError(error)
      for (const [name, value] of Object.entries(headers)) ctx.response.header(name, value)
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

  private toApiError(error: unknown): [number, ApiError[], Record<string, string>] {
    if (error instanceof DomainError) {
      const { field, rule, meta } = error.details
      // Cool-downs and throttles tell the client when to retry (api.md §4.2).
      const headers: Record<string, string> =
        typeof meta?.retry_after === 'number' ? { 'Retry-After': String(meta.retry_after) } : {}
      return [
        statusForCode(error.code),
        [{ code: error.code, message: error.message, field, rule, meta }],
        headers,
      ]
    }
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      const messages = error.messages as Array<{ field: string; message: string; rule: string }>
      return [
        422,
        messages.map(({ field, message, rule }) => ({
          code: 'validation.failed',
          message,
          field,
          rule,
        })),
        {},
      ]
    }
    if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
      return [401, [{ code: 'auth.unauthenticated', message: 'Authentication required' }], {}]
    }
    if (error instanceof authErrors.E_INVALID_CREDENTIALS) {
      return [422, [{ code: 'auth.invalid_credentials', message: 'Invalid email or password' }], {}]
    }
    if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE) {
      return [
        403,
        [{ code: 'permission.denied', message: 'You do not have permission to do that' }],
        {},
      ]
    }
    if (error instanceof lucidErrors.E_ROW_NOT_FOUND) {
      return [404, [{ code: 'not_found', message: 'Not found' }], {}]
    }
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      const headers = Object.fromEntries(
        Object.entries(error.getDefaultHeaders()).map(([name, value]) => [name, String(value)])
      )
      return [429, [{ code: 'throttled', message: 'Too many requests, try again later' }], headers]
    }

    const status = this.statusOf(error)
    if (status === 404) return [404, [{ code: 'not_found', message: 'Not found' }], {}]
    if (status === 413)
      return [413, [{ code: 'payload.too_large', message: 'Request body too large' }], {}]
    if (status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : 'Bad request'
      return [status === 422 ? 400 : status, [{ code: 'bad_request', message }], {}]
    }
    const message = this.debug && error instanceof Error ? error.message : 'Internal server error'
    return [500, [{ code: 'server_error', message }], {}]
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
