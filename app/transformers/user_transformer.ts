import type User from '#models/user'
import type { OrganisationRoleCode } from '#domain/permissions/roles'

export interface UserSummary {
  id: number
  userid: string | null
  first_name: string
  last_name: string
  email: string | null
  img_url: string | null
  image_url: string | null
}

/**
 * Shapes users for the API (api.md §6.2). `email` of other users is shown only
 * to those allowed to see it (api.md §2): the caller decides with `showEmail`.
 */
export function userSummary(user: User, showEmail: boolean): UserSummary {
  return {
    id: user.id,
    userid: user.userid,
    first_name: user.firstName,
    last_name: user.lastName,
    email: showEmail ? user.email : null,
    img_url: user.imgUrl,
    image_url: null,
  }
}

/** GET /api/user: the caller's own record. */
export function currentUser(user: User, organisationRoles: OrganisationRoleCode[]) {
  return {
    ...userSummary(user, true),
    organisation: user.organisationId,
    organisation_roles: organisationRoles,
    identity_id: user.identityId,
    must_change_password: user.mustChangePassword,
    terms_pending: null,
  }
}
