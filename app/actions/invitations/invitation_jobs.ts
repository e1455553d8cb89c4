import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import MeetingInvite from '#models/meeting_invite'
import Meeting from '#models/meeting'
import { systemActor, type Actor } from '#services/audit_log'
import { closeInviteIn, deleteInviteIn } from './invite_effects.js'
import { dbTime } from '#services/db_time'

/** Timestamps compared in the form the database stores them (SQLite compares text). */

/**
 * The scheduled invitation jobs (domain §16.5) as actions, so the job runner and tests call the
 * same code. They work across organisations on purpose (operator jobs); every change is audited
 * in the organisation of the invite.
 */
export class ExpireInvites {
  /**
   * Daily 03:30: open invites older than 30 days in meetings closed for more than 30 days, and
   * open link invitations past their `expires` (api.md §11.5), become `expired`.
   */
  async execute(now = DateTime.utc(), actor: Actor = systemActor('job')) {
    const cutoff = now.minus({ days: 30 })
    const closedMeetings = Meeting.acrossOrganisations('invitation expiry job')
      .select('id')
      .whereIn('state', ['closed', 'archiving', 'archived', 'deleting'])
      .whereNotNull('end_time')
      .where('end_time', '<', dbTime(cutoff))
    const due = await MeetingInvite.acrossOrganisations('invitation expiry job')
      .where('state', 'open')
      .where((any) => {
        any
          .where((old) =>
            old.where('created_at', '<', dbTime(cutoff)).whereIn('meeting_id', closedMeetings)
          )
          .orWhere((link) => link.whereNotNull('expires').where('expires', '<', dbTime(now)))
      })
    let expired = 0
    for (const invite of due) {
      await db.transaction((trx) => closeInviteIn(trx, invite, 'expire', actor, { force: true }))
      expired++
    }
    return { expired }
  }

  /** Meeting archiving expires all open invites of the meeting (domain §7.4, §16.5). */
  async forMeeting(
    meeting: Meeting,
    actor: Actor,
    trx: import('@adonisjs/lucid/types/database').TransactionClientContract
  ) {
    const open = await MeetingInvite.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('state', 'open')
      .useTransaction(trx)
    for (const invite of open) await closeInviteIn(trx, invite, 'expire', actor, { force: true })
    return open.length
  }
}

/** Daily 03:50: delete expired or revoked invites older than 30 days, and any invite older than 200 days. */
export class PurgeInvites {
  async execute(now = DateTime.utc(), actor: Actor = systemActor('job')) {
    const due = await MeetingInvite.acrossOrganisations('invitation purge job').where((any) => {
      any
        .where((closed) =>
          closed
            .whereIn('state', ['expired', 'revoked'])
            .where('updated_at', '<', dbTime(now.minus({ days: 30 })))
        )
        .orWhere('created_at', '<', dbTime(now.minus({ days: 200 })))
    })
    for (const invite of due) {
      await db.transaction((trx) => deleteInviteIn(trx, invite, actor, 'meeting_invite.purged'))
    }
    return { deleted: due.length }
  }
}
