import type { HttpContext } from '@adonisjs/core/http'
import { DomainError } from '#domain/errors'
import User from '#models/user'
import UserConnection from '#models/user_connection'
import PartialLogin from '#models/partial_login'
import OAuth2Provider from '#models/oauth2_provider'
import { chooseAccountValidator } from '#validators/integrations'
import { takeLoginMessages } from '#services/login_messages'
import { startBrowserLogin } from '#services/browser_logins'
import { organisationRolesOf } from '#services/actor_facts'
import { currentUser, userSummary } from '#transformers/user_transformer'
import { requestActor } from '#middleware/authenticate_middleware'
import { PARTIAL_LOGIN_KEY } from '#controllers/auth/provider_login_controller'
import {
  ChooseLinkedAccount,
  hashPartialToken,
  partialLoginCutoff,
} from '#actions/integrations/complete_provider_login'
import DisconnectConnection from '#actions/integrations/disconnect_connection'

const noPendingLogin = () =>
  new DomainError('not_found', 'There is no login waiting for an account choice')

/**
 * The API side of provider logins (api.md §3.2, §6.2): login messages, the
 * paused "which account is yours?" step, and the user's connected logins.
 */
export default class LoginLinksController {
  /** GET /api/user/messages: anyone; read once. */
  async messages(ctx: HttpContext) {
    return takeLoginMessages(ctx)
  }

  /** GET /api/account-link-options */
  async options(ctx: HttpContext) {
    const pending = await this.pending(ctx)
    const users = await User.forOrganisation(ctx.organisation.id)
      .whereIn('id', pending.candidateUserIds)
      .where('is_active', true)
      .orderBy('id')
    const provider = await OAuth2Provider.findInOrganisation(
      ctx.organisation.id,
      pending.oauth2ProviderId
    )
    return {
      // The person proved this email to the provider, so showing it to them is fine.
      data: users.map((user) => ({
        ...userSummary(user, true),
        last_login: user.lastLogin?.toISO() ?? null,
      })),
      provider: provider?.providerId ?? null,
      next: pending.next,
    }
  }

  /** POST /api/account-link-options/choose {user} */
  async choose(ctx: HttpContext) {
    const { user: userId } = await ctx.request.validateUsing(chooseAccountValidator)
    const token = ctx.session.get(PARTIAL_LOGIN_KEY)
    if (!token) throw noPendingLogin()
    const result = await new ChooseLinkedAccount().execute({
      organisation: ctx.organisation,
      token,
      userId,
      actor: requestActor(ctx),
    })
    if (!result) {
      ctx.session.forget(PARTIAL_LOGIN_KEY)
      throw noPendingLogin()
    }
    if (!result.user)
      throw new DomainError('validation.failed', 'Choose one of the offered accounts', {
        field: 'user',
        rule: 'in',
      })
    ctx.session.forget(PARTIAL_LOGIN_KEY)
    await startBrowserLogin(ctx, result.user)
    ctx.logger.info({ event: 'event.auth', action: 'login', user: result.user.id, linked: true })
    return {
      user: currentUser(result.user, await organisationRolesOf(result.user)),
      next: result.pending.next,
    }
  }

  /** GET /api/user/connections */
  async connections(ctx: HttpContext) {
    const rows = await UserConnection.forOrganisation(ctx.organisation.id)
      .where('user_id', ctx.currentUser!.id)
      .preload('provider')
      .orderBy('id')
    return {
      data: rows.map((row) => ({
        id: row.id,
        provider: row.provider.providerId,
        uid: row.uid,
        created: row.createdAt.toUTC().toISO(),
      })),
    }
  }

  /** POST /api/user/connections/:id/disconnect */
  async disconnect(ctx: HttpContext) {
    await new DisconnectConnection().execute({
      user: ctx.currentUser!,
      connectionId: Number(ctx.params.id),
      actor: requestActor(ctx),
    })
    return ctx.response.noContent()
  }

  private async pending(ctx: HttpContext) {
    const token = ctx.session.get(PARTIAL_LOGIN_KEY)
    const pending = token
      ? await PartialLogin.forOrganisation(ctx.organisation.id)
          .where('token_hash', hashPartialToken(token))
          .where('created_at', '>', partialLoginCutoff())
          .first()
      : null
    if (!pending) throw noPendingLogin()
    return pending
  }
}
