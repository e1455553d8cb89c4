import type MeetingApiKey from '#models/meeting_api_key'

const iso = (value: { toUTC: () => { toISO: () => string | null } } | null) =>
  value ? value.toUTC().toISO() : null

/** A meeting API key without its secret (api.md §6.22). */
export function apiKeyForApi(key: MeetingApiKey, now = new Date()) {
  return {
    prefix: key.prefix,
    name: key.name,
    meeting: key.meetingId,
    scopes: key.scopes,
    created: iso(key.createdAt),
    expiry: iso(key.expiry),
    revoked: iso(key.revoked),
    last_used: iso(key.lastUsed),
    // Additions: whether the key works right now, and the system user that audit entries name.
    active: key.isActive(now),
    user: key.userId,
  }
}
