import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Meeting, { meetingAuditState } from '#models/meeting'
import { DomainError } from '#domain/errors'
import { recordAudit, systemActor, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import TransitionMeeting from '#actions/meetings/transition_meeting'

/** Days a never-started meeting stays in `deleting` before the purge removes it (domain §7.4). */
export const PURGE_AFTER_DAYS = 7

/**
 * The hourly archiving job (domain §7.4, D16): fires the internal `archive`
 * event on every meeting in `archiving` whose `archive_after` has passed.
 * Each meeting is its own transaction; a refusal (e.g. a veto) is reported and
 * the job goes on with the next one.
 */
export class ArchiveDueMeetings {
  async execute({
    now = DateTime.utc(),
    actor = systemActor('job'),
  }: { now?: DateTime; actor?: Actor } = {}) {
    const due = await Meeting.acrossOrganisations('the archiving job covers every organisation')
      .where('state', 'archiving')
      .whereNotNull('archive_after')
      .where('archive_after', '<=', now.toSQL({ includeOffset: false })!)
      .orderBy('id')
    const archived: number[] = []
    const failed: Array<{ meeting: number; error: string }> = []
    for (const meeting of due) {
      try {
        await new TransitionMeeting().execute({
          meeting,
          event: 'archive',
          user: null,
          actor,
          force: true,
          now,
        })
        archived.push(meeting.id)
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        failed.push({ meeting: meeting.id, error: error.message })
      }
    }
    return { archived, failed }
  }
}

/**
 * The weekly hard-delete job (domain §7.4): permanently deletes meetings in
 * `deleting` that never started and whose deletion was requested more than
 * 7 days ago, with all their content (foreign keys cascade). Meetings that
 * did start stay for an operator. The audit entry outlives the meeting.
 */
export class PurgeDeletedMeetings {
  async execute({
    now = DateTime.utc(),
    actor = systemActor('job'),
  }: { now?: DateTime; actor?: Actor } = {}) {
    const cutoff = now.minus({ days: PURGE_AFTER_DAYS }).toSQL({ includeOffset: false })!
    const candidates = await Meeting.acrossOrganisations('the purge job covers every organisation')
      .where('state', 'deleting')
      .whereNull('start_time')
      .whereNotNull('delete_requested')
      .where('delete_requested', '<', cutoff)
      .orderBy('id')
    const purged: number[] = []
    for (const candidate of candidates) {
      await db.transaction(async (trx) => {
        const meeting = await Meeting.forOrganisation(candidate.organisationId)
          .where('id', candidate.id)
          .where('state', 'deleting')
          .whereNull('start_time')
          .useTransaction(trx)
          .forUpdate()
          .first()
        if (!meeting) return
        const before = meetingAuditState(meeting)
        await meeting.useTransaction(trx).delete()
        await recordAudit(trx, actor, {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          action: 'delete',
          event: 'meeting.purged',
          model: 'Meeting',
          objectId: meeting.id,
          changes: Object.fromEntries(
            Object.entries(before).map(([field, value]) => [field, [value, null]])
          ),
        })
        publishAfterCommit(trx, [
          {
            channel: channels.meeting(meeting.id),
            type: 'meeting.deleted',
            data: { id: meeting.id, rev: meeting.rev + 1 },
          },
        ])
        purged.push(meeting.id)
      })
    }
    return { purged }
  }
}
