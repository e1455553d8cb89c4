import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import { DomainError, notFound } from '#domain/errors'
import { isMeetingArchived } from '#domain/meetings/state_machine'
import { isEnablingBlocked } from '#domain/permissions/components'
import { validateComponentSettings, type ComponentSettingsIssue } from '#domain/components/registry'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { meetingComponentPayload } from '#transformers/meeting_component_transformer'

/*
 | Shared steps of the meeting-component actions (create, update, delete): each action is its own
 | class and transaction; these helpers only keep the checks identical.
 */

/** Locks the meeting row and re-checks, inside the transaction, that it is not archived. */
export async function lockChangeableMeeting(trx: TransactionClientContract, meeting: Meeting) {
  const locked = await Meeting.forOrganisation(meeting.organisationId)
    .where('id', meeting.id)
    .useTransaction(trx)
    .forUpdate()
    .firstOrFail()
  if (isMeetingArchived(locked.state)) {
    throw new DomainError('permission.denied', 'The meeting is archived', {
      meta: { permission: 'meeting_component.change' },
    })
  }
  return locked
}

export function assertNotBlocked(name: string, enabled: boolean, blocked: readonly string[]) {
  if (isEnablingBlocked(name, enabled, blocked)) {
    throw new DomainError(
      'component.blocked',
      `The component "${name}" is blocked by the installed dialect`,
      { field: 'enabled', params: { component: name } }
    )
  }
}

/** Validated, normalised settings; the first issue names its path as `settings.<path>`. */
export function checkedSettings(name: string, settings: unknown): Record<string, unknown> {
  const result = validateComponentSettings(name, settings)
  if (result.issues.length) throw invalidSettings(result.issues)
  return result.settings
}

function invalidSettings(issues: ComponentSettingsIssue[]) {
  const first = issues[0]
  const field = first.path ? `settings.${first.path}` : 'settings'
  return new DomainError('component.invalid_settings', `${field}: ${first.message}`, {
    field,
    params: { field },
    meta: {
      issues: issues.map((issue) => ({
        field: issue.path ? `settings.${issue.path}` : 'settings',
        message: issue.message,
      })),
    },
  })
}

export function publishComponent(
  trx: TransactionClientContract,
  row: MeetingComponent,
  type: 'meeting_component.changed' | 'meeting_component.deleted',
  rid: string | null
) {
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(row.meetingId),
      type,
      data: meetingComponentPayload(row),
      rid,
    },
  ])
}

export const auditState = (row: MeetingComponent | null) => ({
  component_name: row?.componentName ?? null,
  enabled: row?.enabled ?? null,
  settings: row?.settings ?? null,
})

/** The component row, locked for the change, inside the changeable meeting's transaction. */
export async function lockComponent(
  trx: TransactionClientContract,
  meeting: Meeting,
  component: MeetingComponent
) {
  const row = await MeetingComponent.forOrganisation(meeting.organisationId)
    .where('id', component.id)
    .useTransaction(trx)
    .forUpdate()
    .first()
  if (!row) throw notFound('No such meeting component')
  return row
}
