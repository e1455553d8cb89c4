import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import Meeting, { meetingAuditState, meetingTrackedFields } from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import AgendaItem from '#models/agenda_item'
import type User from '#models/user'
import { notFound } from '#domain/errors'
import {
  meetingMachine,
  meetingTransitionPatch,
  type MeetingFacts,
} from '#domain/meetings/state_machine'
import { isRegisteredErPolicy } from '#domain/meetings/er_policy_names'
import { evaluate } from '#domain/state_machines/machine'
import { meetingPermission } from '#domain/permissions/meeting'
import { componentsDisabledOnClose } from '#domain/components/registry'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { countOngoingPolls } from '#services/meeting_hooks'
import { assertEvaluation, runTransitionHooks } from '#services/transitions'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { meetingPayloadFor } from '#transformers/meeting_transformer'
import TransitionAgendaItem from '#actions/agenda/transition_agenda_item'

export interface TransitionMeetingInput {
  meeting: Meeting
  event: string
  /** The caller whose permissions are checked; ignored with `force`. */
  user: User | null
  actor: Actor
  /** Jobs (archiving) and other internal callers. */
  force?: boolean
  now?: DateTime
  trx?: TransactionClientContract
}

/** Facts the meeting machine needs (also for `GET …/event`). */
export async function meetingMachineFacts(
  meeting: Meeting,
  client?: TransactionClientContract,
  now: DateTime = DateTime.utc()
): Promise<MeetingFacts> {
  const connection = client ?? db.connection()
  const query = AgendaItem.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('state', 'ongoing')
  if (client) query.useTransaction(client)
  const ongoing = await query.count('* as total')
  return {
    erPolicyValid: isRegisteredErPolicy(meeting.erPolicyName),
    ongoingPolls: await countOngoingPolls(connection, { meetingId: meeting.id }),
    ongoingAgendaItems: Number(ongoing[0].$extras.total),
    archiveAfterPassed: !!meeting.archiveAfter && meeting.archiveAfter <= now,
    preDeleteState: meeting.preDeleteState,
  }
}

/**
 * Fires one meeting event (domain §7.4) through the machine table: row locked,
 * guards, vetoes, field writes, cascades, audit entry `meeting.<event>`,
 * `meeting.changed` after commit. One action drives every event because the
 * side effects are small and listed in one place below.
 */
export default class TransitionMeeting {
  async execute(input: TransitionMeetingInput): Promise<Meeting> {
    const now = input.now ?? DateTime.utc()
    const run = async (trx: TransactionClientContract) => {
      const meeting = await Meeting.forOrganisation(input.meeting.organisationId)
        .where('id', input.meeting.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!meeting) throw notFound('No such meeting')
      const facts = await meetingMachineFacts(meeting, trx, now)
      const actorFacts = input.force ? null : await meetingActor(input.user, meeting, trx)
      const { from, to } = assertEvaluation(
        evaluate(meetingMachine, {
          state: meeting.state,
          event: input.event,
          facts,
          can: (permission) => meetingPermission(permission, actorFacts, meetingFacts(meeting)),
          force: input.force,
        })
      )
      const context = {
        trx,
        machine: meetingMachine.name,
        object: meeting,
        event: input.event,
        from,
        to,
        actor: input.actor,
        force: !!input.force,
      }
      await runTransitionHooks('before', context)

      const before = { ...meetingAuditState(meeting), ...machineFields(meeting) }
      const patch = meetingTransitionPatch(input.event, from, to, now.toJSDate())
      const toDateTime = (value: Date | null) => (value ? DateTime.fromJSDate(value).toUTC() : null)
      meeting.state = patch.state
      if (patch.startTime !== undefined) meeting.startTime = toDateTime(patch.startTime)
      if (patch.endTime !== undefined) meeting.endTime = toDateTime(patch.endTime)
      if (patch.archiveAfter !== undefined) meeting.archiveAfter = toDateTime(patch.archiveAfter)
      if (patch.deleteRequested !== undefined)
        meeting.deleteRequested = toDateTime(patch.deleteRequested)
      if (patch.preDeleteState !== undefined) meeting.preDeleteState = patch.preDeleteState
      meeting.rev += 1
      await meeting.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: `meeting.${input.event}`,
        model: 'Meeting',
        objectId: meeting.id,
        // The machine-managed timestamps are not tracked fields, but the entry shows them.
        changes: diffFields(before, { ...meetingAuditState(meeting), ...machineFields(meeting) }, [
          ...meetingTrackedFields,
          ...machineFieldNames,
        ]),
      })

      if (input.event === 'close') await this.afterClose(trx, meeting, input.actor)
      if (input.event === 'archive') await this.afterArchive(trx, meeting, input.actor)
      await runTransitionHooks('after', context)

      publishAfterCommit(trx, [
        {
          channel: channels.meeting(meeting.id),
          type: 'meeting.changed',
          data: await meetingPayloadFor(meeting),
          rid: input.actor.requestId ?? null,
        },
      ])
      return meeting
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }

  /** D15 and §15.1: close upcoming/ongoing agenda items (forced); disable `disable_on_close` components. */
  private async afterClose(trx: TransactionClientContract, meeting: Meeting, actor: Actor) {
    const items = await AgendaItem.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .whereIn('state', ['upcoming', 'ongoing'])
      .orderBy('order')
      .useTransaction(trx)
    for (const item of items) {
      await new TransitionAgendaItem().execute({
        item,
        event: 'close',
        user: null,
        actor,
        force: true,
        trx,
      })
    }
    const components = await MeetingComponent.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .whereIn('component_name', componentsDisabledOnClose())
      .where('enabled', true)
      .useTransaction(trx)
    for (const component of components) {
      component.enabled = false
      component.rev += 1
      await component.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'meeting_component.disabled',
        model: 'MeetingComponent',
        objectId: component.id,
        changes: { enabled: [true, false] },
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(meeting.id),
          type: 'meeting_component.changed',
          data: {
            id: component.id,
            rev: component.rev,
            meeting: meeting.id,
            component_name: component.componentName,
            enabled: false,
            is_valid: true,
            settings: component.settings,
          },
          rid: actor.requestId ?? null,
        },
      ])
    }
  }

  /** `archive_meeting` (§7.4): every agenda item → archived (forced). Speaker systems and invites hook in. */
  private async afterArchive(trx: TransactionClientContract, meeting: Meeting, actor: Actor) {
    const items = await AgendaItem.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .whereNot('state', 'archived')
      .orderBy('order')
      .useTransaction(trx)
    for (const item of items) {
      await new TransitionAgendaItem().execute({
        item,
        event: 'archive',
        user: null,
        actor,
        force: true,
        trx,
      })
    }
  }
}

const machineFieldNames = [
  'start_time',
  'end_time',
  'archive_after',
  'delete_requested',
  'pre_delete_state',
] as const

function machineFields(meeting: Meeting): Record<(typeof machineFieldNames)[number], unknown> {
  const iso = (value: DateTime | null) => (value ? value.toUTC().toISO() : null)
  return {
    start_time: iso(meeting.startTime),
    end_time: iso(meeting.endTime),
    archive_after: iso(meeting.archiveAfter),
    delete_requested: iso(meeting.deleteRequested),
    pre_delete_state: meeting.preDeleteState,
  }
}
