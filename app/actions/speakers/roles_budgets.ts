import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import User from '#models/user'
import MeetingGroup from '#models/meeting_group'
import type SpeakerListSystem from '#models/speaker_list_system'
import SpeakerSystemRole from '#models/speaker_system_role'
import SpeakerTimeBudget from '#models/speaker_time_budget'
import { fieldError } from '#domain/errors'
import {
  addRoles,
  isRoleCode,
  removeRoles,
  speakerSystemRoles,
  type SpeakerSystemRoleCode,
} from '#domain/permissions/roles'
import { recordAudit, type Actor } from '#services/audit_log'
import { changeRolesOfUser } from '#actions/meetings/change_meeting_roles'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { hub, logRealtimeError } from '#realtime/hub'

/**
 * Speaker-system role assignments (domain §3.1–§3.4): closure rules of the
 * catalogue, one row per (user, system), `roles.changed` on the meeting and
 * user channels. Adding any speaker-system role adds meeting role `pa`.
 */
export class ChangeSpeakerSystemRoles {
  async execute(input: {
    system: SpeakerListSystem
    userIds: number[]
    roles: string[]
    mode: 'add' | 'remove'
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const codes = input.roles.map((role, index) => {
      if (!isRoleCode(speakerSystemRoles, role))
        throw fieldError(`roles.${index}`, `Unknown speaker system role "${role}"`, 'enum')
      return role as SpeakerSystemRoleCode
    })
    const run = async (trx: TransactionClientContract) => {
      const system = input.system
      const meeting = await Meeting.forOrganisation(system.organisationId)
        .where('id', system.meetingId)
        .useTransaction(trx)
        .firstOrFail()
      const ids = [...new Set(input.userIds)]
      const users = await User.forOrganisation(system.organisationId)
        .whereIn('id', ids)
        .useTransaction(trx)
      const missing = ids.find((id) => !users.some((user) => user.id === id))
      if (missing !== undefined)
        throw fieldError(
          `users.${input.userIds.indexOf(missing)}`,
          'No such user in this organisation',
          'exists'
        )
      const results = []
      for (const userId of ids) {
        results.push({
          user: userId,
          assigned: await changeSystemRolesOfUser(
            trx,
            meeting,
            system,
            userId,
            codes,
            input.mode,
            input.actor
          ),
        })
      }
      return results
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

export async function changeSystemRolesOfUser(
  trx: TransactionClientContract,
  meeting: Meeting,
  system: SpeakerListSystem,
  userId: number,
  codes: SpeakerSystemRoleCode[],
  mode: 'add' | 'remove',
  actor: Actor
): Promise<SpeakerSystemRoleCode[]> {
  const row = await SpeakerSystemRole.forOrganisation(system.organisationId)
    .where('speaker_system_id', system.id)
    .where('user_id', userId)
    .useTransaction(trx)
    .forUpdate()
    .first()
  const before = row?.assigned ?? []
  const after =
    mode === 'add'
      ? addRoles(speakerSystemRoles, before, codes)
      : removeRoles(speakerSystemRoles, before, codes)
  const added = after.filter((code) => !before.includes(code))
  const removed = before.filter((code) => !after.includes(code))
  if (added.length === 0 && removed.length === 0) return after
  if (mode === 'add') await changeRolesOfUser(trx, meeting, userId, ['pa'], 'add', actor)
  let objectId: number
  if (after.length === 0) {
    objectId = row!.id
    await row!.useTransaction(trx).delete()
  } else if (row) {
    row.assigned = after
    await row.useTransaction(trx).save()
    objectId = row.id
  } else {
    const created = await SpeakerSystemRole.create(
      {
        organisationId: system.organisationId,
        meetingId: system.meetingId,
        speakerSystemId: system.id,
        userId,
        assigned: after,
      },
      { client: trx }
    )
    objectId = created.id
  }
  await recordAudit(trx, actor, {
    organisationId: system.organisationId,
    meetingId: system.meetingId,
    action: !row ? 'create' : after.length === 0 ? 'delete' : 'update',
    event: 'speaker_system_roles.changed',
    model: 'SpeakerSystemRoles',
    objectId,
    changes: { user: [userId, userId], context: [system.id, system.id], assigned: [before, after] },
  })
  const data = {
    model: 'speaker_system',
    context: system.id,
    meeting: system.meetingId,
    user: userId,
    assigned: after,
    added,
    removed,
  }
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(system.meetingId),
      type: 'roles.changed',
      data,
      rid: actor.requestId ?? null,
    },
    { channel: channels.user(userId), type: 'roles.changed', data, rid: actor.requestId ?? null },
  ])
  // A lost role may lose the room channel at once (api.md §7.5 revocation).
  if (removed.length > 0) {
    trx.after('commit', async () => {
      try {
        await hub.revalidateUser(userId)
      } catch (error) {
        logRealtimeError(error, 'revalidating after a speaker-system role change')
      }
    })
  }
  return after
}

/** Replaces a system's group time budgets (api.md §11.4 `PUT …/time-budgets`). */
export class SetTimeBudgets {
  async execute(input: {
    system: SpeakerListSystem
    budgets: Array<{ group: number; seconds: number }>
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const system = input.system
      const groupIds = input.budgets.map((budget) => budget.group)
      const duplicate = groupIds.findIndex((id, index) => groupIds.indexOf(id) !== index)
      if (duplicate >= 0)
        throw fieldError(`budgets.${duplicate}.group`, 'Each group may appear once', 'distinct')
      const groups = await MeetingGroup.forOrganisation(system.organisationId)
        .where('meeting_id', system.meetingId)
        .whereIn('id', groupIds)
        .useTransaction(trx)
      const unknown = groupIds.findIndex((id) => !groups.some((group) => group.id === id))
      if (unknown >= 0)
        throw fieldError(`budgets.${unknown}.group`, 'No such group in this meeting', 'exists')
      const existing = await SpeakerTimeBudget.forOrganisation(system.organisationId)
        .where('speaker_system_id', system.id)
        .useTransaction(trx)
      const before = Object.fromEntries(existing.map((row) => [row.meetingGroupId, row.seconds]))
      const after = Object.fromEntries(input.budgets.map((row) => [row.group, row.seconds]))
      if (JSON.stringify(before) === JSON.stringify(after)) return
      for (const row of existing) await row.useTransaction(trx).delete()
      for (const budget of input.budgets) {
        await SpeakerTimeBudget.create(
          {
            organisationId: system.organisationId,
            speakerSystemId: system.id,
            meetingGroupId: budget.group,
            seconds: budget.seconds,
          },
          { client: trx }
        )
      }
      await recordAudit(trx, input.actor, {
        organisationId: system.organisationId,
        meetingId: system.meetingId,
        action: 'update',
        event: 'speaker_time_budgets.changed',
        model: 'SpeakerListSystem',
        objectId: system.id,
        changes: { time_budgets: [before, after] },
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(system.meetingId),
          type: 'speaker_budgets.changed',
          data: { id: system.id, meeting: system.meetingId, speaker_system: system.id },
          rid: input.actor.requestId ?? null,
        },
      ])
    })
  }
}
