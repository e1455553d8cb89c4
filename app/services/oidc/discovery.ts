/**
 * OpenID Connect discovery (OpenID Connect Discovery 1.0 §4) for the
 * organisation's configured issuer, cached per issuer for a few minutes so a
 * login does not fetch the document twice.
 */
export interface OidcMetadata {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  userinfo_endpoint?: string
  jwks_uri: string
  end_session_endpoint?: string
  code_challenge_methods_supported?: string[]
}

const CACHE_MS = 10 * 60 * 1000
const cache = new Map<string, { metadata: OidcMetadata; until: number }>()

export class OidcDiscoveryError extends Error {}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '')

export async function discover(issuer: string): Promise<OidcMetadata> {
  const key = withoutTrailingSlash(issuer)
  const hit = cache.get(key)
  if (hit && hit.until > Date.now()) return hit.metadata

  const url = `${key}/.well-known/openid-configuration`
  let response: Response
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(5000),
      headers: { accept: 'application/json' },
    })
  } catch (error) {
    throw new OidcDiscoveryError(`Cannot reach ${url}: ${(error as Error).message}`)
  }
  if (!response.ok) throw new OidcDiscoveryError(`${url} answered ${response.status}`)
  const metadata = (await response.json()) as Partial<OidcMetadata>
  for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (typeof metadata[field] !== 'string') throw new OidcDiscoveryError(`${url} lacks "${field}"`)
  }
  // The document must describe the issuer we were configured with (Discovery §4.3).
  if (withoutTrailingSlash(metadata.issuer!) !== key) {
    throw new OidcDiscoveryError(`${url} names issuer "${metadata.issuer}", expected "${issuer}"`)
  }
  cache.set(key, { metadata: metadata as OidcMetadata, until: Date.now() + CACHE_MS })
  return metadata as OidcMetadata
}

/** For tests and after a provider's configuration changed. */
export function forgetDiscovery(issuer?: string) {
  if (issuer) cache.delete(withoutTrailingSlash(issuer))
  else cache.clear()
}
