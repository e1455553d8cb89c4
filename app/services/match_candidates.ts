import type Organisation from '#models/organisation'
import User from '#models/user'
import UserConnection from '#models/user_connection'
import OAuth2Provider from '#models/oauth2_provider'

export interface MatchCandidatesReport {
  organisation: { id: number; title: string }
  users: number
  withoutEmail: number
  /** Active users a first provider login would link automatically (one account per email). */
  uniqueByEmail: number
  /** Emails (case-insensitive) shared by several active accounts: such logins pause at the account choice. */
  ambiguous: Array<{ email: string; users: Array<{ id: number; userid: string | null }> }>
  provider: { id: string; connected: number } | null
}

/**
 * How account matching by verified email (domain §6.4) would behave for the
 * organisation's current users: `org:report-match-candidates`. Inactive and
 * API-key system users are not login candidates and are left out.
 */
export async function matchCandidatesReport(
  organisation: Organisation,
  providerId?: string
): Promise<MatchCandidatesReport> {
  const users = await User.forOrganisation(organisation.id).where('is_active', true).orderBy('id')
  let connectedUserIds = new Set<number>()
  let provider: MatchCandidatesReport['provider'] = null
  if (providerId) {
    const row = await OAuth2Provider.forOrganisation(organisation.id)
      .where('provider_id', providerId)
      .first()
    if (!row) throw new Error(`No login provider "${providerId}" in ${organisation.title}`)
    const connections = await UserConnection.forOrganisation(organisation.id).where(
      'oauth2_provider_id',
      row.id
    )
    connectedUserIds = new Set(connections.map((connection) => connection.userId))
    provider = { id: row.providerId, connected: connectedUserIds.size }
  }

  const byEmail = new Map<string, User[]>()
  let withoutEmail = 0
  for (const user of users) {
    if (!user.email) {
      withoutEmail++
      continue
    }
    const key = user.email.toLowerCase()
    byEmail.set(key, [...(byEmail.get(key) ?? []), user])
  }
  const ambiguous = [...byEmail]
    .filter(([, group]) => group.length > 1 && !group.some((user) => connectedUserIds.has(user.id)))
    .map(([email, group]) => ({
      email,
      users: group.map((user) => ({ id: user.id, userid: user.userid })),
    }))
  const uniqueByEmail = [...byEmail.values()].filter((group) => group.length === 1).length

  return {
    organisation: { id: organisation.id, title: organisation.title },
    users: users.length,
    withoutEmail,
    uniqueByEmail,
    ambiguous,
    provider,
  }
}
