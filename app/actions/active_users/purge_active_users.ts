import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ActiveUser from '#models/active_user'
import type Meeting from '#models/meeting'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { recentlyActiveUserIds } from '#realtime/presence'
import { activeUsersAll } from '#realtime/active_users'
import { purgeWindowMinutes } from '#domain/permissions/active_users'

/**
 * Removes active flags of users without activity (realtime heartbeat or API
 * request, tracked on their connections) within the window (domain §15.2).
 * One audit entry per removed flag; `active_user.all` replaces clients' lists.
 */
export default class PurgeActiveUsers {
  async execute(input: {
    meeting: Meeting
    hours: number
    actor: Actor
    now?: DateTime
  }): Promise<number> {
    const { meeting, hours, actor } = input
    const since = (input.now ?? DateTime.utc()).minus({ minutes: purgeWindowMinutes(hours) })
    return db.transaction(async (trx) => {
      const rows = await ActiveUser.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .useTransaction(trx)
        .forUpdate()
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
      const recent = await recentlyActiveUserIds(
        meeting.organisationId,
        rows.map((row) => row.userId),
        since,
        trx
      )
      const stale = rows.filter((row) => !recent.has(row.userId))
      for (const row of stale) {
        await row.useTransaction(trx).delete()
        await recordAudit(trx, actor, {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          action: 'delete',
          event: 'active_user.purged',
          model: 'ActiveUser',
          objectId: row.id,
          changes: { user: [row.userId, null] },
        })
      }
      if (stale.length > 0) {
        const remaining = rows.filter((row) => recent.has(row.userId)).map((row) => row.userId)
        publishAfterCommit(trx, [
          {
            channel: channels.meeting(meeting.id),
            type: 'active_user.all',
            data: activeUsersAll(meeting.id, remaining),
            rid: actor.requestId ?? null,
          },
        ])
      }
      return stale.length
    })
  }
}
