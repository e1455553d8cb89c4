import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import type MeetingComponent from '#models/meeting_component'
import { recordAudit, type Actor } from '#services/audit_log'
import {
  auditState,
  lockChangeableMeeting,
  lockComponent,
  publishComponent,
} from '#actions/components/support'

/** Removes a component from a meeting (api.md §6.7); clients drop it on `.deleted`. */
export default class DeleteMeetingComponent {
  async execute(input: { meeting: Meeting; component: MeetingComponent; actor: Actor }) {
    await db.transaction(async (trx) => {
      const meeting = await lockChangeableMeeting(trx, input.meeting)
      const row = await lockComponent(trx, meeting, input.component)
      const before = auditState(row)
      await row.useTransaction(trx).delete()
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'delete',
        event: 'meeting_component.deleted',
        model: 'MeetingComponent',
        objectId: row.id,
        changes: {
          component_name: [before.component_name, null],
          enabled: [before.enabled, null],
          settings: [before.settings, null],
        },
      })
      publishComponent(trx, row, 'meeting_component.deleted', input.actor.requestId ?? null)
    })
  }
}
