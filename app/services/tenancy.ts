import Organisation from '#models/organisation'
import OrganisationHost from '#models/organisation_host'

/** Host header → host name: lower-cased, port removed (api.md §1). */
export function normaliseHost(hostHeader: string | undefined | null): string | null {
  if (!hostHeader) return null
  const host = hostHeader.trim().toLowerCase()
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    return end > 0 ? host.slice(0, end + 1) : null
  }
  return host.split(':')[0] || null
}

/**
 * Host → organisation, remembered for a short while: every request resolves its
 * host, and organisations and their hosts change rarely. Saving or deleting
 * either model through Lucid forgets everything at once (in this process);
 * other instances see a change within HOST_CACHE_MS.
 */
const HOST_CACHE_MS = 2000
const resolvedHosts = new Map<string, { organisation: Organisation | null; at: number }>()

export function forgetResolvedHosts() {
  resolvedHosts.clear()
}
for (const model of [Organisation, OrganisationHost]) {
  model.after('save', forgetResolvedHosts)
  model.after('delete', forgetResolvedHosts)
}

export async function resolveOrganisationByHost(hostHeader: string | undefined | null) {
  const host = normaliseHost(hostHeader)
  if (!host) return null
  const now = Date.now()
  const cached = resolvedHosts.get(host)
  if (cached && now - cached.at < HOST_CACHE_MS) return cached.organisation
  // One query: the organisation joined to its host row.
  const organisation = await Organisation.query()
    .join('organisation_hosts', 'organisation_hosts.organisation_id', 'organisations.id')
    .where('organisation_hosts.host', host)
    .select('organisations.*')
    .first()
  if (resolvedHosts.size >= 10_000) resolvedHosts.clear()
  resolvedHosts.set(host, { organisation, at: now })
  return organisation
}
