import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import type MeetingComponent from '#models/meeting_component'
import { recordAudit, type Actor } from '#services/audit_log'
import {
  assertNotBlocked,
  auditState,
  checkedSettings,
  lockChangeableMeeting,
  lockComponent,
  publishComponent,
} from '#actions/components/support'
import { blockedComponents } from '#services/dialect_rules'

/**
 * Changes a meeting component's settings and/or `enabled` (api.md §6.7, Q13: a plain boolean).
 * Enabling needs valid settings: a stored row whose settings no longer validate can only be
 * enabled together with new, valid settings (domain §15.1).
 */
export default class UpdateMeetingComponent {
  async execute(input: {
    meeting: Meeting
    component: MeetingComponent
    settings?: unknown
    enabled?: boolean
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const meeting = await lockChangeableMeeting(trx, input.meeting)
      const row = await lockComponent(trx, meeting, input.component)
      const before = auditState(row)
      const enabled = input.enabled ?? row.enabled
      // Settings are checked when sent, and when the result would be an enabled component.
      const settings =
        input.settings !== undefined || enabled
          ? checkedSettings(
              row.componentName,
              input.settings !== undefined ? input.settings : row.settings
            )
          : row.settings
      if (enabled && !row.enabled) {
        assertNotBlocked(row.componentName, enabled, await blockedComponents(meeting, trx))
      }
      row.enabled = enabled
      row.settings = settings
      const after = auditState(row)
      if (
        before.enabled === after.enabled &&
        JSON.stringify(before.settings) === JSON.stringify(after.settings)
      )
        return row
      row.rev += 1
      await row.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'meeting_component.updated',
        model: 'MeetingComponent',
        objectId: row.id,
        changes: {
          enabled: [before.enabled, after.enabled],
          settings: [before.settings, after.settings],
        },
      })
      publishComponent(trx, row, 'meeting_component.changed', input.actor.requestId ?? null)
      return row
    })
  }
}
