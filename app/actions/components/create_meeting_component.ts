import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import { fieldError } from '#domain/errors'
import { isMeetingComponent } from '#domain/components/registry'
import { recordAudit, type Actor } from '#services/audit_log'
import { insertOrConflict } from '#services/unique_violation'
import {
  assertNotBlocked,
  auditState,
  checkedSettings,
  lockChangeableMeeting,
  publishComponent,
} from '#actions/components/support'
import { blockedComponents } from '#services/dialect_rules'

/** Adds a component to a meeting (api.md §6.7): one row per name per meeting (domain §15.1). */
export default class CreateMeetingComponent {
  async execute(input: {
    meeting: Meeting
    componentName: string
    settings?: unknown
    enabled?: boolean
    actor: Actor
  }) {
    const name = input.componentName
    if (!isMeetingComponent(name)) {
      throw fieldError('component_name', `Unknown meeting component "${name}"`, 'enum')
    }
    const settings = checkedSettings(name, input.settings)
    // Enabled unless asked otherwise: creating a component is how one switches it on.
    const enabled = input.enabled ?? true
    return db.transaction(async (trx) => {
      const meeting = await lockChangeableMeeting(trx, input.meeting)
      assertNotBlocked(name, enabled, await blockedComponents(meeting, trx))
      const existing = await MeetingComponent.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .where('component_name', name)
        .useTransaction(trx)
        .first()
      if (existing) {
        throw fieldError(
          'component_name',
          `The meeting already has the component "${name}"`,
          'unique'
        )
      }
      const row = await insertOrConflict(
        () =>
          MeetingComponent.create(
            {
              organisationId: meeting.organisationId,
              meetingId: meeting.id,
              componentName: name,
              enabled,
              settings,
              rev: 1,
            },
            { client: trx }
          ),
        'The meeting component'
      )
      const after = auditState(row)
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'create',
        event: 'meeting_component.created',
        model: 'MeetingComponent',
        objectId: row.id,
        changes: {
          component_name: [null, after.component_name],
          enabled: [null, after.enabled],
          settings: [null, after.settings],
        },
      })
      publishComponent(trx, row, 'meeting_component.changed', input.actor.requestId ?? null)
      return row
    })
  }
}
