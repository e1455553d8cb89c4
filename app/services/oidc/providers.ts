import type { HttpContext } from '@adonisjs/core/http'
import type Organisation from '#models/organisation'
import OAuth2Provider from '#models/oauth2_provider'
import { discover } from '#services/oidc/discovery'
import { OidcDriver } from '#services/oidc/oidc_driver'

export function findProvider(organisation: Organisation, providerId: string) {
  return OAuth2Provider.forOrganisation(organisation.id).where('provider_id', providerId).first()
}

const redirectPath = (provider: OAuth2Provider) =>
  `/auth/${encodeURIComponent(provider.providerId)}/redirect`

/**
 * For GET /api/organisation: `login_url` (the primary provider's redirect, or
 * null) and `login_providers`, the providers offered in the UI (hidden ones
 * are usable by URL but not listed; domain §6.4).
 */
export async function loginOptionsOf(organisation: Organisation) {
  const providers = await OAuth2Provider.forOrganisation(organisation.id).orderBy('provider_id')
  const primary = providers.find((provider) => provider.primary)
  return {
    loginUrl: primary ? redirectPath(primary) : null,
    loginProviders: providers
      .filter((provider) => !provider.hidden)
      .map((provider) => ({
        id: provider.providerId,
        title: provider.title || provider.providerId,
        primary: provider.primary,
        login_url: redirectPath(provider),
      })),
  }
}

/** The callback on the organisation host the browser is using (domain §6.4). */
export function callbackUrl(ctx: HttpContext, provider: OAuth2Provider) {
  return `${ctx.request.protocol()}://${ctx.request.host()}/auth/${encodeURIComponent(provider.providerId)}/callback`
}

/**
 * An Ally driver for this request, built from the organisation's provider row
 * and the issuer's discovery document (there is no static Ally config: each
 * organisation brings its own providers).
 */
export async function driverFor(ctx: HttpContext, provider: OAuth2Provider): Promise<OidcDriver> {
  const metadata = await discover(provider.oidcEndpoint)
  return new OidcDriver(ctx, {
    providerKey: `${provider.organisationId}_${provider.id}`,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret(),
    callbackUrl: callbackUrl(ctx, provider),
    issuer: metadata.issuer,
    authorizeUrl: metadata.authorization_endpoint,
    accessTokenUrl: metadata.token_endpoint,
    userInfoUrl: metadata.userinfo_endpoint ?? null,
    jwksUri: metadata.jwks_uri,
    scopes: provider.scope.split(/[\s,]+/).filter(Boolean),
    pkce: provider.pkce,
  })
}

/** Only local absolute paths: never another origin (open-redirect safe). */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 1000) return '/'
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/'
  if ([...value].some((char) => char.charCodeAt(0) < 0x20)) return '/'
  return value
}
