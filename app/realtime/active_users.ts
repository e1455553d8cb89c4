import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import ActiveUser from '#models/active_user'
import MeetingComponent from '#models/meeting_component'
import Meeting from '#models/meeting'
import { channels } from '#realtime/channels'
import { publishAfterCommit } from '#realtime/publish'
import { registerSection } from '#realtime/snapshot_sections'
import { registerMeetingHook } from '#services/meeting_hooks'
import { recordAudit } from '#services/audit_log'

/**
 * Active users ("I'm here", domain §15.2): the component check, the list in
 * activation order (for electoral-register policies with `handles_active_check`,
 * `main_subst_active`, `skk_kfum`), the meeting snapshot section and the
 * removal of the flag when a participant leaves the meeting.
 */
export const ACTIVE_USERS_COMPONENT = 'active_users'

export async function isActiveUsersEnabled(meeting: Meeting, client?: QueryClientContract) {
  const query = MeetingComponent.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('component_name', ACTIVE_USERS_COMPONENT)
    .where('enabled', true)
  if (client) query.useTransaction(client as never)
  return (await query.first()) !== null
}

/** User ids flagged active, in activation order (oldest first). Usable inside a transaction. */
export async function activeUserIds(
  meeting: Meeting,
  client?: QueryClientContract
): Promise<number[]> {
  const query = ActiveUser.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
  if (client) query.useTransaction(client as never)
  return (await query).map((row) => row.userId)
}

export function activeUsersAll(meetingId: number, users: number[]) {
  return { meeting: meetingId, users }
}

export function registerActiveUsers() {
  registerSection(
    'meeting',
    'active.users',
    async ({ organisation, params }) => {
      const meeting = await Meeting.findInOrganisation(organisation.id, params.meetingId)
      if (!meeting) return []
      return [
        { type: 'active_user.all', data: activeUsersAll(meeting.id, await activeUserIds(meeting)) },
      ]
    },
    {
      shared: true,
      enabled: async ({ organisation, params }) => {
        const meeting = await Meeting.findInOrganisation(organisation.id, params.meetingId)
        return !!meeting && (await isActiveUsersEnabled(meeting))
      },
    }
  )

  // Leaving the meeting removes the flag (domain §15.2).
  registerMeetingHook('participantRemoved', async ({ trx, meeting, actor, userId }) => {
    const row = await ActiveUser.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('user_id', userId)
      .useTransaction(trx)
      .first()
    if (!row) return
    await row.useTransaction(trx).delete()
    await recordAudit(trx, actor, {
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      action: 'delete',
      event: 'active_user.removed',
      model: 'ActiveUser',
      objectId: row.id,
      changes: { user: [userId, null] },
    })
    publishAfterCommit(trx, [
      {
        channel: channels.meeting(meeting.id),
        type: 'active_user.changed',
        data: { meeting: meeting.id, user: userId, active: false },
        rid: actor.requestId ?? null,
      },
    ])
  })
}
