import type User from '#models/user'
import OrganisationRole from '#models/organisation_role'
import type { OrganisationActor } from '#domain/permissions/organisation'
import type { OrganisationRoleCode } from '#domain/permissions/roles'

/**
 * Gathers the plain facts that domain predicates need about a user. Cached on
 * the user instance for the request (a user object lives for one request).
 */
const cache = new WeakMap<User, OrganisationActor>()

export async function organisationRolesOf(user: User): Promise<OrganisationRoleCode[]> {
  const row = await OrganisationRole.forOrganisation(user.organisationId)
    .where('user_id', user.id)
    .first()
  return row?.assigned ?? []
}

export async function organisationActor(user: User): Promise<OrganisationActor> {
  const cached = cache.get(user)
  if (cached) return cached
  const facts: OrganisationActor = {
    userId: user.id,
    organisationId: user.organisationId,
    isSuperuser: user.isSuperuser,
    organisationRoles: await organisationRolesOf(user),
  }
  cache.set(user, facts)
  return facts
}

/** Role changes within a request must not be answered from a stale cache. */
export function forgetActorFacts(user: User) {
  cache.delete(user)
}
