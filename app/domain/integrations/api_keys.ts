/**
 * Meeting API keys (domain §18): the scope catalogue derived from the
 * token-API operations, scope normalisation, key lifetime and the active-key
 * limit. Framework-free.
 */

/** Every token-API operation, by resource (domain §18.4). Scopes are derived from this. */
export const tokenApiOperations = {
  meeting: ['list'],
  invites: ['list', 'create', 'retrieve', 'destroy', 'add_roles', 'remove_roles'],
} as const

export type TokenApiResource = keyof typeof tokenApiOperations
export type TokenApiScope = {
  [R in TokenApiResource]: `${R}.${(typeof tokenApiOperations)[R][number]}` | `${R}.*`
}[TokenApiResource]

/** The public list of valid scopes, in the order of api.md §6.22. */
export const validScopes: readonly TokenApiScope[] = (
  Object.keys(tokenApiOperations) as TokenApiResource[]
).flatMap((resource) => {
  const specific = tokenApiOperations[resource].map(
    (action) => `${resource}.${action}` as TokenApiScope
  )
  // `meeting.*` follows `meeting.list`; for invites the wildcard closes the list.
  return [...specific, `${resource}.*` as TokenApiScope]
})

export const isValidScope = (value: string): value is TokenApiScope =>
  (validScopes as readonly string[]).includes(value)

export const KEY_LIFETIME_DAYS = 120
export const MAX_ACTIVE_KEYS_PER_MEETING = 5
/** `last_used` is written at most this often (domain §18.1). */
export const LAST_USED_RESOLUTION_MS = 60_000
export const REQUESTS_PER_MINUTE_PER_KEY = 60

/**
 * Deduplicated, sorted scopes with redundant specific scopes dropped
 * (`invites.create` goes when `invites.*` is present). Callers validate first.
 */
export function normaliseScopes(scopes: readonly TokenApiScope[]): TokenApiScope[] {
  const set = new Set(scopes)
  const kept = [...set].filter((scope) => {
    const [resource, action] = scope.split('.')
    return action === '*' || !set.has(`${resource}.*` as TokenApiScope)
  })
  return kept.sort()
}

/** Whether granted scopes allow `resource.action`. */
export function allowsScope(granted: readonly string[], required: string): boolean {
  const [resource] = required.split('.')
  return granted.includes(required) || granted.includes(`${resource}.*`)
}

export interface KeyLifetimeFacts {
  expiry: Date
  revoked: Date | null
}

/** Active = neither revoked nor expired (domain §18.2). */
export function isKeyActive(key: KeyLifetimeFacts, now: Date): boolean {
  return key.revoked === null && key.expiry.getTime() > now.getTime()
}

export function keyExpiry(created: Date): Date {
  return new Date(created.getTime() + KEY_LIFETIME_DAYS * 24 * 60 * 60 * 1000)
}

export function shouldRecordUse(lastUsed: Date | null, now: Date): boolean {
  return lastUsed === null || now.getTime() - lastUsed.getTime() >= LAST_USED_RESOLUTION_MS
}
