import { randomBytes } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import { Oauth2Driver } from '@adonisjs/ally'
import type {
  AllyUserContract,
  ApiRequestContract,
  Oauth2AccessToken,
  Oauth2DriverConfig,
  RedirectRequestContract,
} from '@adonisjs/ally/types'
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose'

export interface OidcDriverConfig extends Oauth2DriverConfig {
  /** Used in cookie names so that two providers never share state. */
  providerKey: string
  issuer: string
  authorizeUrl: string
  accessTokenUrl: string
  userInfoUrl: string | null
  jwksUri: string
  scopes: string[]
  pkce: boolean
}

export type OidcToken = Oauth2AccessToken & { id_token?: string }

/** The verified claims: id_token claims merged with userinfo (same `sub`). */
export type OidcClaims = JWTPayload & Record<string, unknown> & { sub: string }

export class OidcLoginError extends Error {}

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>()
function keySet(jwksUri: string) {
  let set = keySets.get(jwksUri)
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri))
    keySets.set(jwksUri, set)
  }
  return set
}

/**
 * A generic OpenID Connect driver on Ally's Oauth2Driver: authorization code
 * flow with state (Ally), PKCE S256 (Ally, when enabled for the provider) and a
 * nonce, all three kept in encrypted, single-use cookies. The id_token is
 * verified (signature from the issuer's JWKS, `iss`, `aud`, expiry, `nonce`)
 * with jose. Built per request from the organisation's provider row.
 */
export class OidcDriver extends Oauth2Driver<OidcToken, string> {
  protected authorizeUrl: string
  protected accessTokenUrl: string
  protected stateCookieName: string
  protected stateParamName = 'state'
  protected errorParamName = 'error'
  protected codeParamName = 'code'
  protected scopeParamName = 'scope'
  protected scopesSeparator = ' '
  protected nonceCookieName: string
  protected nonceCookieValue?: string

  constructor(
    ctx: HttpContext,
    public config: OidcDriverConfig
  ) {
    super(ctx, config)
    this.authorizeUrl = config.authorizeUrl
    this.accessTokenUrl = config.accessTokenUrl
    this.stateCookieName = `oidc_${config.providerKey}_state`
    this.nonceCookieName = `oidc_${config.providerKey}_nonce`
    if (config.pkce) this.codeVerifierCookieName = `oidc_${config.providerKey}_verifier`
    this.loadState()
    this.nonceCookieValue = ctx.request.encryptedCookie(this.nonceCookieName)
    ctx.response.clearCookie(this.nonceCookieName)
  }

  protected configureRedirectRequest(request: RedirectRequestContract<string>) {
    request.scopes(this.config.scopes)
    request.param('response_type', 'code')
    const nonce = randomBytes(24).toString('base64url')
    this.ctx.response.encryptedCookie(this.nonceCookieName, nonce, {
      sameSite: 'lax',
      httpOnly: true,
    })
    request.param('nonce', nonce)
  }

  accessDenied(): boolean {
    return this.getError() === 'access_denied'
  }

  /** Exchanges the code, verifies the id_token and reads userinfo. */
  async user(
    callback?: (request: ApiRequestContract) => void
  ): Promise<AllyUserContract<OidcToken>> {
    const token = await this.accessToken(callback)
    const claims = await this.verifiedClaims(token)
    return { ...profileFromClaims(claims), token }
  }

  async userFromToken(token: string): Promise<AllyUserContract<{ token: string; type: 'bearer' }>> {
    const info = await this.userInfo(token)
    if (typeof info.sub !== 'string')
      throw new OidcLoginError('The userinfo response has no subject')
    return { ...profileFromClaims(info as OidcClaims), token: { token, type: 'bearer' } }
  }

  private async verifiedClaims(token: OidcToken): Promise<OidcClaims> {
    if (typeof token.id_token !== 'string')
      throw new OidcLoginError('The provider returned no id_token')
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token.id_token, keySet(this.config.jwksUri), {
        issuer: this.config.issuer,
        audience: this.config.clientId,
        clockTolerance: 60,
      }))
    } catch (error) {
      throw new OidcLoginError(`The id_token could not be verified: ${(error as Error).message}`)
    }
    if (!this.nonceCookieValue || payload.nonce !== this.nonceCookieValue) {
      throw new OidcLoginError('The id_token nonce does not match this login')
    }
    if (typeof payload.sub !== 'string' || !payload.sub)
      throw new OidcLoginError('The id_token has no subject')

    let claims = payload as OidcClaims
    if (this.config.userInfoUrl) {
      const info = await this.userInfo(token.token)
      // OIDC Core §5.3.2: userinfo for another subject must not be used.
      if (info.sub !== payload.sub)
        throw new OidcLoginError('The userinfo subject differs from the id_token subject')
      // The signed id_token wins where both name a claim.
      claims = { ...info, ...payload } as OidcClaims
    }
    return claims
  }

  private async userInfo(accessToken: string): Promise<Record<string, unknown>> {
    if (!this.config.userInfoUrl) return {}
    const request = this.httpClient(this.config.userInfoUrl)
    request.header('Authorization', `Bearer ${accessToken}`)
    request.header('Accept', 'application/json')
    request.parseAs('json')
    return (await request.get()) as Record<string, unknown>
  }
}

function profileFromClaims(claims: OidcClaims) {
  const str = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : null)
  const name =
    str('name') ??
    ([str('given_name'), str('family_name')].filter(Boolean).join(' ') ||
      str('preferred_username') ||
      '')
  return {
    id: claims.sub,
    nickName: str('preferred_username') ?? str('given_name') ?? name,
    name,
    email: str('email'),
    emailVerificationState: (claims.email_verified === true ? 'verified' : 'unverified') as
      'verified' | 'unverified',
    avatarUrl: str('picture'),
    original: claims,
  }
}
