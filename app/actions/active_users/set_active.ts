import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ActiveUser from '#models/active_user'
import type Meeting from '#models/meeting'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'

export type SetActiveOutcome = 'created' | 'exists' | 'removed' | 'absent'

/**
 * Sets or clears the caller's "I'm here" flag (domain §15.2); idempotent.
 * The unique (meeting, user) index settles a race between two requests.
 */
export default class SetActive {
  async execute(input: {
    meeting: Meeting
    userId: number
    active: boolean
    actor: Actor
  }): Promise<SetActiveOutcome> {
    const { meeting, userId, active, actor } = input
    return db.transaction(async (trx) => {
      const row = await ActiveUser.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .where('user_id', userId)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (active && row) return 'exists'
      if (!active && !row) return 'absent'
      let objectId: number
      if (active) {
        const created = await ActiveUser.create(
          {
            organisationId: meeting.organisationId,
            meetingId: meeting.id,
            userId,
            createdAt: DateTime.utc(),
          },
          { client: trx }
        )
        objectId = created.id
      } else {
        objectId = row!.id
        await row!.useTransaction(trx).delete()
      }
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: active ? 'create' : 'delete',
        event: active ? 'active_user.added' : 'active_user.removed',
        model: 'ActiveUser',
        objectId,
        changes: { user: active ? [null, userId] : [userId, null] },
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(meeting.id),
          type: 'active_user.changed',
          data: { meeting: meeting.id, user: userId, active },
          rid: actor.requestId ?? null,
        },
      ])
      return active ? 'created' : 'removed'
    })
  }
}
