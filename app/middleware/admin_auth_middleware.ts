import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { browserLoginUser } from '#services/browser_logins'

const ONE_TIME_PASSWORD_ROUTES = new Set([
  'admin.password.edit',
  'admin.password.update',
  'admin.logout',
])

/**
 * Admin screens: a browser login of a user of the host's organisation, else
 * the login page. Permission checks are done per screen by the policies.
 */
export default class AdminAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    ctx.currentUser = null
    ctx.authMethod = null
    const user = await browserLoginUser(ctx)
    if (
      !user ||
      user.organisationId !== ctx.organisation.id ||
      !user.isActive ||
      !ctx.organisation.active
    ) {
      if (user) await ctx.auth.use('web').logout()
      ctx.session.flash('error', 'Please log in')
      return ctx.response.redirect(`/admin/login?next=${encodeURIComponent(ctx.request.url(true))}`)
    }
    ctx.currentUser = user
    ctx.authMethod = 'session'
    ctx.view.share({ currentUser: user })
    // A one-time password (org:create / user:create) must be replaced before anything else.
    if (user.mustChangePassword && !ONE_TIME_PASSWORD_ROUTES.has(ctx.route?.name ?? '')) {
      return ctx.response.redirect('/admin/password')
    }
    return next()
  }
}
