import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import User from '#models/user'
import GroupMembership from '#models/group_membership'
import {
  addRoles,
  isRoleCode,
  meetingRoleAliases,
  meetingRoles,
  removeRoles,
  type MeetingRoleCode,
} from '#domain/permissions/roles'
import { fieldError, permissionDenied } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { runParticipantRemoved, runRolesChanged } from '#services/meeting_hooks'
import { insertOrConflict } from '#services/unique_violation'

export type RoleChangeMode = 'add' | 'remove' | 'set'

export interface ChangeMeetingRolesInput {
  meeting: Meeting
  userIds: number[]
  /** Short codes (`pa`, `mo`, …) or the legacy long names of domain §3.2. */
  roles: string[]
  /** `set` makes the row equal to `roles` (after closure); used by invite sync. */
  mode: RoleChangeMode
  actor: Actor
  /** Run inside the caller's transaction (invites, access policies, dialects, group memberships). */
  trx?: TransactionClientContract
  /** False for the token API, which may not grant or remove `mo` (domain §3.3, §18). */
  allowModeratorChange?: boolean
}

export interface RoleChangeResult {
  user: number
  assigned: MeetingRoleCode[]
}

/** Maps codes and legacy names to codes; an unknown one is a 422 naming `roles.<i>`. */
export function normaliseMeetingRoles(
  roles: readonly string[],
  field = 'roles'
): MeetingRoleCode[] {
  return roles.map((role, index) => {
    const code = isRoleCode(meetingRoles, role) ? role : meetingRoleAliases[role]
    if (!code) throw fieldError(`${field}.${index}`, `Unknown meeting role "${role}"`, 'enum')
    return code
  })
}

/**
 * Adds, removes or sets meeting roles (domain §3.1, §3.4, §3.6) with the
 * closure rules, for users of the meeting's organisation. One audit entry per
 * changed row; `roles.changed` on the meeting and user channels after commit.
 * Removing `pa` also deletes the user's group memberships and runs the
 * `participantRemoved` hooks of later modules.
 */
export default class ChangeMeetingRoles {
  async execute(input: ChangeMeetingRolesInput): Promise<RoleChangeResult[]> {
    const codes = normaliseMeetingRoles(input.roles)
    if (input.allowModeratorChange === false && codes.includes('mo')) {
      throw permissionDenied('meeting.change_moderator_role')
    }
    const uniqueIds = [...new Set(input.userIds)]
    const run = async (trx: TransactionClientContract) => {
      const users = await User.forOrganisation(input.meeting.organisationId)
        .whereIn('id', uniqueIds)
        .useTransaction(trx)
      const missing = uniqueIds.findIndex((id) => !users.some((user) => user.id === id))
      if (missing >= 0) {
        throw fieldError(
          `users.${input.userIds.indexOf(uniqueIds[missing])}`,
          'No such user in this organisation',
          'exists'
        )
      }
      const results: RoleChangeResult[] = []
      for (const userId of uniqueIds) {
        const { after } = await changeRolesOfUser(
          trx,
          input.meeting,
          userId,
          codes,
          input.mode,
          input.actor,
          {
            allowModeratorChange: input.allowModeratorChange ?? true,
          }
        )
        results.push({ user: userId, assigned: after })
      }
      return results
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/**
 * The change of one user's row, inside a transaction. Exported for actions
 * that grant roles as a consequence (group memberships, invites, join).
 */
export async function changeRolesOfUser(
  trx: TransactionClientContract,
  meeting: Meeting,
  userId: number,
  codes: readonly MeetingRoleCode[],
  mode: RoleChangeMode,
  actor: Actor,
  options: { allowModeratorChange?: boolean } = {}
): Promise<{ before: MeetingRoleCode[]; after: MeetingRoleCode[] }> {
  const row = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
    .useTransaction(trx)
    .forUpdate()
    .first()
  const before = row?.assigned ?? []
  let after: MeetingRoleCode[]
  if (mode === 'add') after = addRoles(meetingRoles, before, codes)
  else if (mode === 'remove') after = removeRoles(meetingRoles, before, codes)
  else after = addRoles(meetingRoles, [], codes)

  if (options.allowModeratorChange === false && before.includes('mo') !== after.includes('mo')) {
    throw permissionDenied('meeting.change_moderator_role')
  }
  const added = after.filter((code) => !before.includes(code))
  const removed = before.filter((code) => !after.includes(code))
  if (added.length === 0 && removed.length === 0) return { before, after }

  let objectId: number
  if (after.length === 0) {
    objectId = row!.id
    await row!.useTransaction(trx).delete()
  } else if (row) {
    row.assigned = after
    await row.useTransaction(trx).save()
    objectId = row.id
  } else {
    const created = await insertOrConflict(
      () =>
        MeetingRole.create(
          {
            organisationId: meeting.organisationId,
            meetingId: meeting.id,
            userId,
            assigned: after,
          },
          { client: trx }
        ),
      'The meeting roles'
    )
    objectId = created.id
  }
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: !row ? 'create' : after.length === 0 ? 'delete' : 'update',
    event: 'meeting_roles.changed',
    model: 'MeetingRoles',
    objectId,
    changes: {
      user: [userId, userId],
      context: [meeting.id, meeting.id],
      assigned: [before, after],
    },
  })
  // Structured role event log (domain §3.4, §19.2), written only once the change is committed.
  trx.after('commit', () => {
    logger.info({
      event: 'event.roles',
      model: 'meeting',
      context: meeting.id,
      organisation: meeting.organisationId,
      user: userId,
      actor: actor.userId,
      source: actor.source,
      added,
      removed,
      assigned: after,
    })
  })
  const data = {
    model: 'meeting',
    context: meeting.id,
    meeting: meeting.id,
    user: userId,
    assigned: after,
    added,
    removed,
  }
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'roles.changed',
      data,
      rid: actor.requestId ?? null,
    },
    { channel: channels.user(userId), type: 'roles.changed', data, rid: actor.requestId ?? null },
  ])

  if (after.length === 0) {
    // Leaving the meeting (domain §3.6): group memberships go, then later modules clean up.
    const memberships = await GroupMembership.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('user_id', userId)
      .useTransaction(trx)
    for (const membership of memberships) {
      await membership.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'delete',
        event: 'group_membership.deleted',
        model: 'GroupMembership',
        objectId: membership.id,
        changes: {
          user: [userId, null],
          meeting_group: [membership.meetingGroupId, null],
          role: [membership.groupRoleId, null],
          votes: [membership.votes, null],
        },
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(meeting.id),
          type: 'group_membership.deleted',
          data: { id: membership.id, rev: membership.rev + 1, meeting: meeting.id },
          rid: actor.requestId ?? null,
        },
      ])
    }
    await runParticipantRemoved({ trx, meeting, actor, userId })
  }
  await runRolesChanged({ trx, meeting, actor, userId, before, after, added, removed })
  return { before, after }
}
