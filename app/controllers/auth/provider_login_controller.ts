import type { HttpContext } from '@adonisjs/core/http'
import { errors as allyErrors } from '@adonisjs/ally'
import { notFound } from '#domain/errors'
import type OAuth2Provider from '#models/oauth2_provider'
import { driverFor, findProvider, safeNext } from '#services/oidc/providers'
import { OidcDiscoveryError } from '#services/oidc/discovery'
import { OidcLoginError, type OidcDriver } from '#services/oidc/oidc_driver'
import { addLoginMessage } from '#services/login_messages'
import { isBrowserLoginActive, startBrowserLogin } from '#services/browser_logins'
import { requestActor } from '#middleware/authenticate_middleware'
import CompleteProviderLogin, {
  type ProviderProfile,
} from '#actions/integrations/complete_provider_login'

const NEXT_KEY = 'provider_login_next'
const CONNECT_KEY = 'provider_login_connect'
export const PARTIAL_LOGIN_KEY = 'partial_login_token'

/** The client's routes that the login flow hands over to (api.md §3.2). */
export const ERROR_PATH = '/error'
export const ACCOUNT_CHOICE_PATH = '/account-link'

/**
 * Browser login through an organisation's OIDC provider (domain §6.4, api.md
 * §3.2): GET /auth/{provider}/redirect?next=… and GET /auth/{provider}/callback.
 * Failures never answer with an error page: they leave a login message
 * (GET /api/user/messages) and redirect to the client's /error route.
 */
export default class ProviderLoginController {
  async redirect(ctx: HttpContext) {
    const provider = await this.provider(ctx)
    if (!ctx.organisation.active)
      return this.fail(ctx, 'This organisation is inactive.', 'organisation.inactive')

    let connectUserId: number | null = null
    if (ctx.request.qs().connect === '1') {
      const web = ctx.auth.use('web')
      if (!(await web.check()) || !(await isBrowserLoginActive(ctx, web.user!))) {
        return this.fail(
          ctx,
          'Log in before connecting another login method.',
          'connect.unauthenticated'
        )
      }
      if (web.user!.organisationId !== ctx.organisation.id) {
        return this.fail(
          ctx,
          "You're logged in to another organisation.",
          'connect.wrong_organisation'
        )
      }
      connectUserId = web.user!.id
    }
    ctx.session.put(NEXT_KEY, safeNext(ctx.request.qs().next))
    if (connectUserId) ctx.session.put(CONNECT_KEY, connectUserId)
    else ctx.session.forget(CONNECT_KEY)

    const driver = await this.driver(ctx, provider)
    if (!driver) return
    return driver.redirect()
  }

  async callback(ctx: HttpContext) {
    const provider = await this.provider(ctx)
    const next = safeNext(ctx.session.pull(NEXT_KEY, '/'))
    const connectUserId: number | null = ctx.session.pull(CONNECT_KEY, null)
    if (!ctx.organisation.active)
      return this.fail(ctx, 'This organisation is inactive.', 'organisation.inactive')
    // Connecting needs the same browser login at the end of the flow as at its start.
    if (connectUserId !== null) {
      const web = ctx.auth.use('web')
      const same =
        (await web.check()) &&
        web.user!.id === connectUserId &&
        (await isBrowserLoginActive(ctx, web.user!))
      if (!same)
        return this.fail(
          ctx,
          'Log in before connecting another login method.',
          'connect.session_changed'
        )
    }

    const driver = await this.driver(ctx, provider)
    if (!driver) return
    if (driver.accessDenied())
      return this.fail(ctx, 'The login was cancelled.', 'provider.access_denied')
    if (driver.stateMisMatch()) {
      return this.fail(
        ctx,
        'The login request expired or did not come from this site. Please try again.',
        'state_mismatch'
      )
    }
    if (driver.hasError()) {
      return this.fail(
        ctx,
        `The login provider reported an error (${driver.getError()}).`,
        'provider.error'
      )
    }

    let profile: ProviderProfile
    try {
      const user = await driver.user()
      const claims = user.original as Record<string, unknown>
      const str = (name: string) =>
        typeof claims[name] === 'string' ? (claims[name] as string) : ''
      profile = {
        uid: user.id,
        name: user.name,
        firstName: str('given_name'),
        lastName: str('family_name'),
        email: user.email,
        emailVerified: user.emailVerificationState === 'verified',
        avatarUrl: user.avatarUrl,
        claims,
      }
    } catch (error) {
      if (error instanceof OidcLoginError || error instanceof allyErrors.E_OAUTH_STATE_MISMATCH) {
        return this.fail(
          ctx,
          'The login could not be verified. Please try again.',
          (error as Error).message
        )
      }
      ctx.logger.warn({ err: error, provider: provider.providerId }, 'provider login failed')
      return this.fail(
        ctx,
        'The login provider could not be reached. Please try again later.',
        'provider.unreachable'
      )
    }

    const input = {
      organisation: ctx.organisation,
      provider,
      profile,
      connectUserId,
      next,
      actor: requestActor(ctx),
    }
    let result
    try {
      result = await new CompleteProviderLogin().execute(input)
    } catch (error) {
      // Two first logins of one person at once: the loser finds the winner's rows on a second try.
      if (!isUniqueViolation(error)) throw error
      result = await new CompleteProviderLogin().execute(input)
    }
    const log = {
      event: 'event.auth',
      provider: provider.providerId,
      organisation: ctx.organisation.id,
      uid: profile.uid,
    }

    switch (result.kind) {
      case 'failed':
        return this.fail(ctx, result.message, result.reason)
      case 'choose':
        ctx.session.put(PARTIAL_LOGIN_KEY, result.token)
        ctx.logger.info({ ...log, action: 'login_paused' })
        return ctx.response.redirect(`${ACCOUNT_CHOICE_PATH}?next=${encodeURIComponent(next)}`)
      case 'connected':
        ctx.logger.info({ ...log, action: 'connected', user: result.user.id })
        addLoginMessage(
          ctx,
          'success',
          `Connected ${provider.title || provider.providerId} to your account.`
        )
        return ctx.response.redirect(next)
      case 'login':
        await startBrowserLogin(ctx, result.user)
        ctx.logger.info({
          ...log,
          action: 'login',
          user: result.user.id,
          created: result.created,
          linked: result.linked,
        })
        return ctx.response.redirect(next)
    }
  }

  private async provider(ctx: HttpContext): Promise<OAuth2Provider> {
    const provider = await findProvider(ctx.organisation, String(ctx.params.provider))
    if (!provider) throw notFound('No such login provider')
    return provider
  }

  private async driver(ctx: HttpContext, provider: OAuth2Provider): Promise<OidcDriver | null> {
    try {
      return await driverFor(ctx, provider)
    } catch (error) {
      if (!(error instanceof OidcDiscoveryError)) throw error
      ctx.logger.warn({ err: error, provider: provider.providerId }, 'OIDC discovery failed')
      this.fail(
        ctx,
        'The login provider could not be reached. Please try again later.',
        'provider.discovery'
      )
      return null
    }
  }

  private fail(ctx: HttpContext, message: string, reason: string) {
    ctx.logger.info({
      event: 'event.auth',
      action: 'login_failed',
      organisation: ctx.organisation.id,
      reason,
    })
    addLoginMessage(ctx, 'error', message)
    return ctx.response.redirect(ERROR_PATH)
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE'
}
