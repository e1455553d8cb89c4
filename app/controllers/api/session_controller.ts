import type { HttpContext } from '@adonisjs/core/http'
import { DomainError } from '#domain/errors'
import { loginValidator, logoutValidator } from '#validators/auth'
import { endAllBrowserLogins, endBrowserLogin, startBrowserLogin } from '#services/browser_logins'
import { organisationRolesOf } from '#services/actor_facts'
import { currentUser } from '#transformers/user_transformer'
import { requestActor } from '#middleware/authenticate_middleware'
import RevokeAccessTokens from '#actions/auth/revoke_access_tokens'
import { checkPassword } from '#services/password_login'
import { closeStreamsOnLogout } from '#realtime/logout'

const invalidCredentials = () =>
  new DomainError('auth.invalid_credentials', 'Invalid email or password')

/** Local password login and logout (api.md §3.1, §3.2). */
export default class SessionController {
  async store(ctx: HttpContext) {
    const { request, organisation, logger } = ctx
    const { email, password } = await request.validateUsing(loginValidator)
    if (!organisation.active) {
      throw new DomainError('auth.organisation_inactive', 'This organisation is inactive')
    }
    const check = await checkPassword(organisation, email, password)
    if (check.status === 'disabled') {
      throw new DomainError(
        'auth.password_login_disabled',
        'Password login is not enabled for this organisation'
      )
    }
    if (check.status === 'throttled') throw check.error
    if (check.status === 'invalid') throw invalidCredentials()
    const user = check.user
    if (!user.isActive) throw new DomainError('auth.user_inactive', 'This account is inactive')

    await startBrowserLogin(ctx, user)
    logger.info({
      event: 'event.auth',
      action: 'login',
      user: user.id,
      organisation: organisation.id,
    })
    return currentUser(user, await organisationRolesOf(user))
  }

  async destroy(ctx: HttpContext) {
    const { everywhere } = await ctx.request.validateUsing(logoutValidator)
    const user = ctx.currentUser!
    // Streams of the ended login(s) get system.closing 4001 and close (api.md §7.5).
    await closeStreamsOnLogout(ctx, user.id, !!everywhere)
    if (everywhere) {
      await endAllBrowserLogins(user.id)
      await new RevokeAccessTokens().execute({ user, actor: requestActor(ctx) })
    } else if (ctx.authMethod === 'token') {
      const token = ctx.auth.use('api').user?.currentAccessToken
      if (token)
        await new RevokeAccessTokens().execute({
          user,
          tokenId: String(token.identifier),
          actor: requestActor(ctx),
        })
    }
    if (ctx.authMethod === 'session') await endBrowserLogin(ctx)
    ctx.logger.info({
      event: 'event.auth',
      action: 'logout',
      user: user.id,
      everywhere: !!everywhere,
    })
    return ctx.response.noContent()
  }
}
