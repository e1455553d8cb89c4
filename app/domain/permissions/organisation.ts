/**
 * Permission predicates for the organisation context (domain §6.1, §6.2, §3.3).
 * Pure functions over plain facts; Bouncer policies gather the facts and call them.
 */
import type { OrganisationRoleCode } from '#domain/permissions/roles'

export interface OrganisationActor {
  userId: number
  organisationId: number
  isSuperuser: boolean
  organisationRoles: readonly OrganisationRoleCode[]
}

export function isOrgManager(actor: OrganisationActor, organisationId: number): boolean {
  if (actor.organisationId !== organisationId) return false
  return actor.isSuperuser || actor.organisationRoles.includes('org_manager')
}

/** organisation.change / organisation.manage */
export function canManageOrganisation(actor: OrganisationActor, organisationId: number): boolean {
  return isOrgManager(actor, organisationId)
}

/** organisation.view_roles */
export function canViewOrganisationRoles(
  actor: OrganisationActor,
  organisationId: number
): boolean {
  return isOrgManager(actor, organisationId)
}

/** organisation.change_roles: managers, and only for users of the same organisation. */
export function canChangeOrganisationRoles(
  actor: OrganisationActor,
  organisationId: number,
  targetUserOrganisationId: number
): boolean {
  return isOrgManager(actor, organisationId) && targetUserOrganisationId === organisationId
}

/** meeting.add against the organisation: meeting creators and managers. */
export function canCreateMeeting(actor: OrganisationActor, organisationId: number): boolean {
  if (actor.organisationId !== organisationId) return false
  return isOrgManager(actor, organisationId) || actor.organisationRoles.includes('meeting_creator')
}

/** Reading the audit log of the whole organisation (api.md §6.20). */
export function canReadOrganisationAudit(
  actor: OrganisationActor,
  organisationId: number
): boolean {
  return isOrgManager(actor, organisationId)
}

/** The people lookup without a meeting filter (api.md §6.2). */
export function canListOrganisationUsers(
  actor: OrganisationActor,
  organisationId: number
): boolean {
  return isOrgManager(actor, organisationId)
}

/** Creating users and changing their details from the admin UI. */
export function canManageUsers(actor: OrganisationActor, organisationId: number): boolean {
  return isOrgManager(actor, organisationId)
}
