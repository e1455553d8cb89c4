import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import GroupMembership from '#models/group_membership'
import GroupRole from '#models/group_role'
import MeetingRole from '#models/meeting_role'
import type { MeetingRoleCode } from '#domain/permissions/roles'
import type { Actor } from '#services/audit_log'
import { changeRolesOfUser } from '#actions/meetings/change_meeting_roles'

/**
 * Meeting roles granted through group roles (domain §3.5). Provenance is not
 * tracked (D4): a revocation removes a role unless another of the user's
 * memberships in the meeting still grants it. `pa` is never revoked this way:
 * leaving a meeting is an explicit act (domain §3.6).
 */
export async function rolesStillGranted(
  trx: TransactionClientContract,
  meeting: Meeting,
  userId: number
): Promise<Set<MeetingRoleCode>> {
  const memberships = await GroupMembership.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
    .whereNotNull('group_role_id')
    .useTransaction(trx)
  const roleIds = [...new Set(memberships.map((membership) => membership.groupRoleId!))]
  if (roleIds.length === 0) return new Set()
  const roles = await GroupRole.forOrganisation(meeting.organisationId)
    .whereIn('id', roleIds)
    .useTransaction(trx)
  return new Set(roles.flatMap((role) => role.roles))
}

export async function grantRoles(
  trx: TransactionClientContract,
  meeting: Meeting,
  userId: number,
  roles: readonly MeetingRoleCode[],
  actor: Actor
) {
  if (roles.length === 0) return
  await changeRolesOfUser(trx, meeting, userId, roles, 'add', actor)
}

/** Call after the membership change is written, so "other memberships" means the current state. */
export async function revokeUngrantedRoles(
  trx: TransactionClientContract,
  meeting: Meeting,
  userId: number,
  roles: readonly MeetingRoleCode[],
  actor: Actor
) {
  if (roles.length === 0) return
  const still = await rolesStillGranted(trx, meeting, userId)
  const revoke = roles.filter((role) => role !== 'pa' && !still.has(role))
  if (revoke.length === 0) return
  await changeRolesOfUser(trx, meeting, userId, revoke, 'remove', actor)
}

/** Whether the user participates in the meeting (memberships require it, domain §7.2). */
export async function isParticipantRow(
  trx: TransactionClientContract,
  meeting: Meeting,
  userId: number
) {
  const row = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
    .useTransaction(trx)
    .first()
  return !!row
}
