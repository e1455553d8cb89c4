import Organisation from '#models/organisation'

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

export async function resolveOrganisationByHost(hostHeader: string | undefined | null) {
  const host = normaliseHost(hostHeader)
  if (!host) return null
  // One query on every request: the organisation joined to its host row.
  return Organisation.query()
    .join('organisation_hosts', 'organisation_hosts.organisation_id', 'organisations.id')
    .where('organisation_hosts.host', host)
    .select('organisations.*')
    .first()
}
