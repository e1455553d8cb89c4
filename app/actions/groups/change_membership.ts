import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import type MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import GroupRole from '#models/group_role'
import { fieldError, notFound } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { insertOrConflict } from '#services/unique_violation'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import {
  membershipAuditState,
  membershipPayload,
  membershipTrackedFields,
} from '#transformers/group_transformer'
import { grantRoles, isParticipantRow, revokeUngrantedRoles } from '#actions/groups/grants'

async function groupRoleOf(
  trx: TransactionClientContract,
  meeting: Meeting,
  id: number | null | undefined
) {
  if (id === null || id === undefined) return null
  const role = await GroupRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('id', id)
    .useTransaction(trx)
    .first()
  if (!role) throw fieldError('role', 'No such group role in this meeting', 'exists')
  return role
}

/** `group_membership.changed` / `.deleted` on the meeting channel after commit. */
export function publishMembership(
  trx: TransactionClientContract,
  membership: GroupMembership,
  actor: Actor,
  deleted = false
) {
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(membership.meetingId),
      type: deleted ? 'group_membership.deleted' : 'group_membership.changed',
      data: deleted
        ? { id: membership.id, rev: membership.rev + 1, meeting: membership.meetingId }
        : membershipPayload(membership),
      rid: actor.requestId ?? null,
    },
  ])
}

/** Adds a participant to a group; a group role grants its meeting roles (domain §3.5, §7.2). */
export class CreateMembership {
  async execute(input: {
    meeting: Meeting
    group: MeetingGroup
    userId: number
    groupRoleId?: number | null
    votes?: number | null
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const { meeting, group, userId, actor } = input
      if (!(await isParticipantRow(trx, meeting, userId))) {
        throw fieldError('user', 'Members must be participants of the meeting', 'participant')
      }
      const existing = await GroupMembership.forOrganisation(meeting.organisationId)
        .where('meeting_group_id', group.id)
        .where('user_id', userId)
        .useTransaction(trx)
        .first()
      if (existing) throw fieldError('user', 'The user is already a member of this group', 'unique')
      const role = await groupRoleOf(trx, meeting, input.groupRoleId)
      const membership = await insertOrConflict(
        () =>
          GroupMembership.create(
            {
              organisationId: meeting.organisationId,
              meetingId: meeting.id,
              meetingGroupId: group.id,
              userId,
              groupRoleId: role?.id ?? null,
              votes: input.votes ?? null,
              rev: 1,
            },
            { client: trx }
          ),
        'The membership'
      )
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'create',
        event: 'group_membership.created',
        model: 'GroupMembership',
        objectId: membership.id,
        changes: diffFields({}, membershipAuditState(membership), membershipTrackedFields),
      })
      publishMembership(trx, membership, actor)
      if (role) await grantRoles(trx, meeting, userId, role.roles, actor)
      return membership
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/** Changes `role` and/or `votes`; a role change grants the new role's roles and revokes the old ones (§3.5). */
export class UpdateMembership {
  async execute(input: {
    meeting: Meeting
    membership: GroupMembership
    changes: { groupRoleId?: number | null; votes?: number | null }
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const { meeting, changes, actor } = input
      const membership = await GroupMembership.forOrganisation(meeting.organisationId)
        .where('id', input.membership.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!membership) throw notFound('No such membership')
      const before = membershipAuditState(membership)
      const oldRole = await groupRoleOf(trx, meeting, membership.groupRoleId)
      const newRole =
        changes.groupRoleId !== undefined
          ? await groupRoleOf(trx, meeting, changes.groupRoleId)
          : oldRole
      membership.groupRoleId = newRole?.id ?? null
      if (changes.votes !== undefined) membership.votes = changes.votes
      const diff = diffFields(before, membershipAuditState(membership), membershipTrackedFields)
      if (Object.keys(diff).length === 0) return membership
      membership.rev += 1
      await membership.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'group_membership.updated',
        model: 'GroupMembership',
        objectId: membership.id,
        changes: diff,
      })
      publishMembership(trx, membership, actor)
      if (diff.role) {
        if (newRole) await grantRoles(trx, meeting, membership.userId, newRole.roles, actor)
        if (oldRole)
          await revokeUngrantedRoles(trx, meeting, membership.userId, oldRole.roles, actor)
      }
      return membership
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/** Removes a membership and revokes roles only its group role granted (§3.5). */
export class DeleteMembership {
  async execute(input: {
    meeting: Meeting
    membership: GroupMembership
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const { meeting, membership, actor } = input
      const role = await groupRoleOf(trx, meeting, membership.groupRoleId)
      await membership.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'delete',
        event: 'group_membership.deleted',
        model: 'GroupMembership',
        objectId: membership.id,
        changes: diffFields(membershipAuditState(membership), {}, membershipTrackedFields),
      })
      publishMembership(trx, membership, actor, true)
      if (role) await revokeUngrantedRoles(trx, meeting, membership.userId, role.roles, actor)
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
