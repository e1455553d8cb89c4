import type { HttpContext } from '@adonisjs/core/http'
import OAuth2Provider from '#models/oauth2_provider'
import OrganisationHost from '#models/organisation_host'
import UserConnection from '#models/user_connection'
import { notFound } from '#domain/errors'
import { requestActor } from '#middleware/authenticate_middleware'
import { loginProviderValidator } from '#validators/integrations'
import SaveLoginProvider from '#actions/integrations/save_login_provider'
import DeleteLoginProvider from '#actions/integrations/delete_login_provider'

/**
 * Login providers of the organisation (domain §6.4), for organisation
 * managers: issuer, client id and secret (write-only), scope, primary,
 * hidden, PKCE. The same action as `node ace auth:provider`.
 */
export default class LoginProvidersController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const providers = await OAuth2Provider.forOrganisation(ctx.organisation.id).orderBy(
      'provider_id'
    )
    const counts = await UserConnection.forOrganisation(ctx.organisation.id)
      .select('oauth2_provider_id')
      .count('* as total')
      .groupBy('oauth2_provider_id')
    const hosts = await OrganisationHost.query()
      .where('organisation_id', ctx.organisation.id)
      .orderBy('host')
    return ctx.view.render('pages/admin/login_providers/index', {
      providers: providers.map((provider) => ({
        id: provider.id,
        providerId: provider.providerId,
        title: provider.title,
        issuer: provider.oidcEndpoint,
        clientId: provider.clientId,
        scope: provider.scope,
        primary: provider.primary,
        hidden: provider.hidden,
        pkce: provider.pkce,
        superuserClaim: provider.superuserClaim,
        connections: Number(
          counts.find((row) => row.oauth2ProviderId === provider.id)?.$extras.total ?? 0
        ),
        callbacks: hosts.map((host) => `https://${host.host}/auth/${provider.providerId}/callback`),
      })),
    })
  }

  async create(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    return ctx.view.render('pages/admin/login_providers/form', { provider: null })
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const input = await ctx.request.validateUsing(loginProviderValidator, {
      data: this.formData(ctx),
    })
    const existing = await OAuth2Provider.forOrganisation(ctx.organisation.id)
      .where('provider_id', input.provider_id)
      .first()
    if (existing) {
      ctx.session.flashAll()
      ctx.session.flash('error', `A provider "${input.provider_id}" exists already`)
      return ctx.response.redirect().back()
    }
    await new SaveLoginProvider().execute({
      organisation: ctx.organisation,
      settings: input,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Login provider "${input.provider_id}" added`)
    return ctx.response.redirect('/admin/login-providers')
  }

  async edit(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const provider = await this.provider(ctx)
    return ctx.view.render('pages/admin/login_providers/form', { provider })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const provider = await this.provider(ctx)
    const input = await ctx.request.validateUsing(loginProviderValidator, {
      data: { ...this.formData(ctx), provider_id: provider.providerId },
    })
    await new SaveLoginProvider().execute({
      organisation: ctx.organisation,
      settings: input,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Login provider "${provider.providerId}" saved`)
    return ctx.response.redirect('/admin/login-providers')
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const provider = await this.provider(ctx)
    const { connections } = await new DeleteLoginProvider().execute({
      provider,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash(
      'success',
      `Login provider "${provider.providerId}" deleted with ${connections} connection(s)`
    )
    return ctx.response.redirect('/admin/login-providers')
  }

  /** The form always shows every box: an unticked one means "off"; an empty secret keeps the stored one. */
  private formData(ctx: HttpContext) {
    const body = ctx.request.body()
    const text = (name: string) =>
      typeof body[name] === 'string' && body[name].trim() !== '' ? body[name] : undefined
    return {
      provider_id: text('provider_id'),
      title: typeof body.title === 'string' ? body.title : undefined,
      oidc_endpoint: text('oidc_endpoint'),
      client_id: text('client_id'),
      client_secret: text('client_secret'),
      scope: text('scope'),
      pkce: !!body.pkce,
      primary: !!body.primary,
      hidden: !!body.hidden,
      superuser_claim: typeof body.superuser_claim === 'string' ? body.superuser_claim : undefined,
    }
  }

  private async provider(ctx: HttpContext) {
    const provider = await OAuth2Provider.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!provider) throw notFound('No such login provider')
    return provider
  }
}
