import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'

/**
 * A real OpenID Connect provider (oidc-provider, the certified implementation)
 * on a loopback port, for login tests. Its development interactions are a
 * plain login form (any account id) followed by a consent form; the helpers
 * below submit them as a browser would, carrying the provider's cookies.
 */
/** Claims of a person at the provider; the account id is the subject (`sub`). */
export interface TestAccount {
  email?: string
  email_verified?: boolean
  given_name?: string
  family_name?: string
  name?: string
  picture?: string
  is_superuser?: boolean
}

export interface TestOidcProvider {
  issuer: string
  clientId: string
  clientSecret: string
  accounts: Map<string, TestAccount>
  close(): Promise<void>
}

export async function startOidcProvider(options: {
  redirectUris: string[]
}): Promise<TestOidcProvider> {
  const accounts = new Map<string, TestAccount>()
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const issuer = `http://127.0.0.1:${port}`
  const clientId = 'assembly-test'
  const clientSecret = 'test-client-secret-0123456789'

  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
    },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'picture', 'is_superuser'],
    },
    cookies: { keys: ['test-cookie-key-not-secret'] },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = accounts.get(id)
      if (!account) return undefined
      return { accountId: id, claims: async () => ({ ...account, sub: id }) }
    },
  })
  // Quiet: failed requests are asserted by the tests, not printed.
  provider.on('server_error', () => {})
  server.on('request', provider.callback())

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A tiny cookie jar for the provider's own cookies. */
class Jar {
  private cookies = new Map<string, string>()
  absorb(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, ...rest] = pair.split('=')
      const value = rest.join('=')
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name.trim())
      else this.cookies.set(name.trim(), value)
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

/**
 * Plays the person at the provider: follows the authorization request, logs
 * in as `accountId`, consents, and returns the redirect back to the app's
 * callback (absolute URL with code and state) without following it.
 */
export async function signInAtProvider(authorizeUrl: string, accountId: string): Promise<URL> {
  const jar = new Jar()
  let url = authorizeUrl
  let method: 'GET' | 'POST' = 'GET'
  let body: URLSearchParams | undefined
  const origin = new URL(authorizeUrl).origin

  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
    })
    jar.absorb(response)
    method = 'GET'
    body = undefined

    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('location')!, url)
      if (location.origin !== origin) return location
      url = location.toString()
      continue
    }
    const html = await response.text()
    if (response.status !== 200)
      throw new Error(`provider answered ${response.status}: ${html.slice(0, 500)}`)
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1]
    if (!action || !prompt) throw new Error(`unexpected provider page: ${html.slice(0, 500)}`)
    url = new URL(action, url).toString()
    method = 'POST'
    body = new URLSearchParams(
      prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt }
    )
  }
  throw new Error('too many steps at the provider')
}
