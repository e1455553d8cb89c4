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

export async function resolveOrganisationByHost(hostHeader: string | undefined | null) {
  const host = normaliseHost(hostHeader)
  if (!host) return null
  const row = await OrganisationHost.query().where('host', host).first()
  if (!row) return null
  return Organisation.find(row.organisationId)
}
