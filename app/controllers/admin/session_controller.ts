import type { HttpContext } from '@adonisjs/core/http'
import { loginValidator } from '#validators/auth'
import { endBrowserLogin, startBrowserLogin } from '#services/browser_logins'
import { checkPassword } from '#services/password_login'

/** Admin login page (Edge) with the same browser login as the SPA. */
export default class SessionController {
  async create({ view, request }: HttpContext) {
    return view.render('pages/admin/login', { next: safeNext(request.input('next')) })
  }

  async store(ctx: HttpContext) {
    const { request, response, session, organisation } = ctx
    const { email, password } = await request.validateUsing(loginValidator)
    const check = await checkPassword(organisation, email, password)
    if (check.status === 'throttled') {
      session.flash('error', 'Too many failed attempts. Try again later.')
      return response.redirect().back()
    }
    const user = check.status === 'ok' ? check.user : null
    if (!user || !user.isActive || !organisation.active) {
      session.flashExcept(['password'])
      session.flash('error', 'Invalid email or password')
      return response.redirect().back()
    }
    await startBrowserLogin(ctx, user)
    return response.redirect(safeNext(request.input('next')) ?? '/admin')
  }

  async destroy(ctx: HttpContext) {
    await endBrowserLogin(ctx)
    ctx.session.flash('success', 'You are logged out')
    return ctx.response.redirect('/admin/login')
  }
}

/** Only local paths: never an open redirect. */
function safeNext(next: unknown): string | null {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : null
}
