import { randomInt } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import GroupRole from '#models/group_role'
import GroupMembership from '#models/group_membership'
import { fieldError, notFound } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { insertOrConflict } from '#services/unique_violation'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import {
  groupRoleAuditState,
  groupRolePayload,
  groupRoleTrackedFields,
  membershipPayload,
} from '#transformers/group_transformer'
import { normaliseMeetingRoles } from '#actions/meetings/change_meeting_roles'
import { grantRoles, revokeUngrantedRoles } from '#actions/groups/grants'

const randomRoleId = () =>
  Array.from({ length: 8 }, () => 'abcdefghijklmnopqrstuvwxyz'[randomInt(26)]).join('')

async function assertUnique(
  trx: TransactionClientContract,
  meeting: Meeting,
  field: 'title' | 'role_id',
  value: string,
  exceptId?: number
) {
  const query = GroupRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where(field, value)
    .useTransaction(trx)
  if (exceptId) query.whereNot('id', exceptId)
  if (await query.first())
    throw fieldError(field, `A group role with this ${field} exists in the meeting`, 'unique')
}

function publish(trx: TransactionClientContract, role: GroupRole, actor: Actor, deleted = false) {
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(role.meetingId),
      type: deleted ? 'group_role.deleted' : 'group_role.changed',
      data: deleted
        ? { id: role.id, rev: role.rev + 1, meeting: role.meetingId }
        : groupRolePayload(role),
      rid: actor.requestId ?? null,
    },
  ])
}

/** Group roles (domain §7.2, §3.5): `role_id` unique per meeting, random 8 letters when not given. */
export class CreateGroupRole {
  async execute(input: {
    meeting: Meeting
    title: string
    roleId?: string
    roles: string[]
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const roles = [...new Set(normaliseMeetingRoles(input.roles))]
    const run = async (trx: TransactionClientContract) => {
      const { meeting, actor } = input
      await assertUnique(trx, meeting, 'title', input.title)
      let roleId = input.roleId
      if (roleId) await assertUnique(trx, meeting, 'role_id', roleId)
      else {
        do roleId = randomRoleId()
        while (
          await GroupRole.forOrganisation(meeting.organisationId)
            .where('meeting_id', meeting.id)
            .where('role_id', roleId)
            .useTransaction(trx)
            .first()
        )
      }
      const role = await insertOrConflict(
        () =>
          GroupRole.create(
            {
              organisationId: meeting.organisationId,
              meetingId: meeting.id,
              title: input.title,
              roleId,
              roles,
              rev: 1,
            },
            { client: trx }
          ),
        'The group role'
      )
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'create',
        event: 'group_role.created',
        model: 'GroupRole',
        objectId: role.id,
        changes: diffFields({}, groupRoleAuditState(role), groupRoleTrackedFields),
      })
      publish(trx, role, actor)
      return role
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/** Changing `roles` grants the added roles to every holder and revokes the removed ones (§3.5). */
export class UpdateGroupRole {
  async execute(input: {
    meeting: Meeting
    role: GroupRole
    changes: { title?: string; roleId?: string; roles?: string[] }
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const newRoles = input.changes.roles
      ? [...new Set(normaliseMeetingRoles(input.changes.roles))]
      : undefined
    const run = async (trx: TransactionClientContract) => {
      const { meeting, actor, changes } = input
      const role = await GroupRole.forOrganisation(meeting.organisationId)
        .where('id', input.role.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!role) throw notFound('No such group role')
      if (changes.title !== undefined && changes.title !== role.title)
        await assertUnique(trx, meeting, 'title', changes.title, role.id)
      if (changes.roleId !== undefined && changes.roleId !== role.roleId)
        await assertUnique(trx, meeting, 'role_id', changes.roleId, role.id)
      const before = groupRoleAuditState(role)
      const oldRoles = [...role.roles]
      if (changes.title !== undefined) role.title = changes.title
      if (changes.roleId !== undefined) role.roleId = changes.roleId
      if (newRoles) role.roles = newRoles
      const diff = diffFields(before, groupRoleAuditState(role), groupRoleTrackedFields)
      if (Object.keys(diff).length === 0) return role
      role.rev += 1
      await role.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'group_role.updated',
        model: 'GroupRole',
        objectId: role.id,
        changes: diff,
      })
      publish(trx, role, actor)
      if (diff.roles) {
        const added = role.roles.filter((code) => !oldRoles.includes(code))
        const removed = oldRoles.filter((code) => !role.roles.includes(code))
        const holders = await GroupMembership.forOrganisation(meeting.organisationId)
          .where('group_role_id', role.id)
          .useTransaction(trx)
        for (const userId of new Set(holders.map((membership) => membership.userId))) {
          await grantRoles(trx, meeting, userId, added, actor)
          await revokeUngrantedRoles(trx, meeting, userId, removed, actor)
        }
      }
      return role
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/** Deleting a group role keeps the memberships with `role = null` and revokes what it granted (D58, §3.5). */
export class DeleteGroupRole {
  async execute(input: {
    meeting: Meeting
    role: GroupRole
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const { meeting, role, actor } = input
      const holders = await GroupMembership.forOrganisation(meeting.organisationId)
        .where('group_role_id', role.id)
        .useTransaction(trx)
      for (const membership of holders) {
        membership.groupRoleId = null
        membership.rev += 1
        await membership.useTransaction(trx).save()
        await recordAudit(trx, actor, {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          action: 'update',
          event: 'group_membership.updated',
          model: 'GroupMembership',
          objectId: membership.id,
          changes: { role: [role.id, null] },
        })
        publishAfterCommit(trx, [
          {
            channel: channels.meeting(meeting.id),
            type: 'group_membership.changed',
            data: membershipPayload(membership),
            rid: actor.requestId ?? null,
          },
        ])
      }
      await role.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'delete',
        event: 'group_role.deleted',
        model: 'GroupRole',
        objectId: role.id,
        changes: diffFields(groupRoleAuditState(role), {}, groupRoleTrackedFields),
      })
      publish(trx, role, actor, true)
      for (const userId of new Set(holders.map((membership) => membership.userId))) {
        await revokeUngrantedRoles(trx, meeting, userId, role.roles, actor)
      }
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
