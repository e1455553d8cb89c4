import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import Room from '#models/room'
import SpeakerListSystem, {
  speakerSystemAuditState,
  speakerSystemTrackedFields,
} from '#models/speaker_list_system'
import SpeakerList from '#models/speaker_list'
import MeetingComponent from '#models/meeting_component'
import { DomainError, fieldError, notFound } from '#domain/errors'
import {
  methodNeedsGenderTags,
  normalizeMethodSettings,
  type MethodSettings,
  type SpeakerListMethodName,
} from '#domain/speakers/methods'
import { normalizeCategories } from '#domain/speakers/queue_rules'
import { evaluate } from '#domain/state_machines/machine'
import {
  speakerSystemMachine,
  systemTransitionPatch,
  type SpeakerSystemState,
} from '#domain/speakers/state_machines'
import { speakerPermission, type SpeakerActor } from '#domain/speakers/permissions'
import { isRoleCode, meetingRoles, meetingRoleAliases } from '#domain/permissions/roles'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { assertEvaluation, runTransitionHooks } from '#services/transitions'
import { countSpeakingTurns, openTurnsOf, runListOperation } from '#services/speaker_queue'
import { systemFacts } from '#services/speaker_facts'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { listMessages, systemMessages, turnMessages } from '#transformers/speaker_transformer'

export interface SpeakerSystemFields {
  methodName?: SpeakerListMethodName
  settings?: unknown
  safePositions?: number
  meetingRolesToSpeaker?: string[]
  showTime?: boolean
  speechSeconds?: number | null
  pointOfOrderSeconds?: number | null
  pointOfOrderWhenClosed?: boolean
  pointOfOrderCategories?: string[]
  enforceTimeBudgets?: boolean
}

function normalizeRoles(roles: string[]): string[] {
  return [
    ...new Set(
      roles.map((role, index) => {
        const code = isRoleCode(meetingRoles, role) ? role : meetingRoleAliases[role]
        if (!code)
          throw fieldError(
            `meeting_roles_to_speaker.${index}`,
            `Unknown meeting role "${role}"`,
            'enum'
          )
        return code
      })
    ),
  ]
}

function settingsFor(method: SpeakerListMethodName, raw: unknown): MethodSettings {
  const result = normalizeMethodSettings(method, raw)
  if (!result.ok) throw fieldError(result.problems[0].field, result.problems[0].message, 'settings')
  return result.settings
}

/**
 * Selecting `gender_prio` enables the Gender participant-tags component
 * (`gtags`, tags m/f/nb); when no system of the meeting uses it any more it is
 * disabled again (domain §12.4).
 */
async function syncGenderComponent(trx: TransactionClientContract, meeting: Meeting, actor: Actor) {
  const using = await SpeakerListSystem.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('method_name', 'gender_prio')
    .whereNot('state', 'archived')
    .useTransaction(trx)
  const wanted = using.length > 0
  const component = await MeetingComponent.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('component_name', 'gtags')
    .useTransaction(trx)
    .first()
  if (!component && !wanted) return
  if (component && component.enabled === wanted) return
  let row: MeetingComponent
  if (component) {
    component.enabled = wanted
    component.rev += 1
    await component.useTransaction(trx).save()
    row = component
  } else {
    row = await MeetingComponent.create(
      {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        componentName: 'gtags',
        enabled: true,
        settings: { tags: ['m', 'f', 'nb'], many: false },
        rev: 1,
      },
      { client: trx }
    )
  }
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: component ? 'update' : 'create',
    event: wanted ? 'meeting_component.enabled' : 'meeting_component.disabled',
    model: 'MeetingComponent',
    objectId: row.id,
    changes: { enabled: [!wanted, wanted], reason: [null, 'speaker_list_method'] },
  })
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'meeting_component.changed',
      data: {
        id: row.id,
        rev: row.rev,
        meeting: meeting.id,
        component_name: 'gtags',
        enabled: wanted,
        is_valid: true,
        settings: row.settings,
      },
      rid: actor.requestId ?? null,
    },
  ])
}

function applyFields(system: SpeakerListSystem, fields: SpeakerSystemFields) {
  if (fields.methodName !== undefined) system.methodName = fields.methodName
  if (fields.methodName !== undefined || fields.settings !== undefined) {
    system.settings = settingsFor(
      system.methodName,
      fields.settings !== undefined ? fields.settings : system.settings
    )
  }
  if (fields.safePositions !== undefined) system.safePositions = fields.safePositions
  if (fields.meetingRolesToSpeaker !== undefined)
    system.meetingRolesToSpeaker = normalizeRoles(fields.meetingRolesToSpeaker)
  if (fields.showTime !== undefined) system.showTime = fields.showTime
  if (fields.speechSeconds !== undefined) system.speechSeconds = fields.speechSeconds || null
  if (fields.pointOfOrderSeconds !== undefined)
    system.pointOfOrderSeconds = fields.pointOfOrderSeconds || null
  if (fields.pointOfOrderWhenClosed !== undefined)
    system.pointOfOrderWhenClosed = fields.pointOfOrderWhenClosed
  if (fields.pointOfOrderCategories !== undefined) {
    system.pointOfOrderCategories = normalizeCategories(fields.pointOfOrderCategories)
  }
  if (fields.enforceTimeBudgets !== undefined) system.enforceTimeBudgets = fields.enforceTimeBudgets
}

/** Creates the (single) speaker system of a room (api.md §6.15). */
export class CreateSpeakerSystem {
  async execute(input: {
    room: Room
    fields: SpeakerSystemFields
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const room = await Room.forOrganisation(input.room.organisationId)
        .where('id', input.room.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!room) throw fieldError('room', 'No such room', 'exists')
      const existing = await SpeakerListSystem.forOrganisation(room.organisationId)
        .where('room_id', room.id)
        .useTransaction(trx)
        .first()
      if (existing) throw fieldError('room', 'The room already has a speaker system', 'unique')
      const meeting = await Meeting.forOrganisation(room.organisationId)
        .where('id', room.meetingId)
        .useTransaction(trx)
        .firstOrFail()
      const system = new SpeakerListSystem()
      system.fill({
        organisationId: room.organisationId,
        meetingId: room.meetingId,
        roomId: room.id,
        state: 'active',
        methodName: 'simple',
        settings: {},
        safePositions: 1,
        activeListId: null,
        meetingRolesToSpeaker: [],
        showTime: false,
        speechSeconds: null,
        pointOfOrderSeconds: null,
        pointOfOrderWhenClosed: true,
        pointOfOrderCategories: normalizeCategories(undefined),
        enforceTimeBudgets: false,
        rev: 1,
      })
      applyFields(system, { settings: null, ...input.fields })
      await system.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: system.organisationId,
        meetingId: system.meetingId,
        action: 'create',
        event: 'speaker_system.created',
        model: 'SpeakerListSystem',
        objectId: system.id,
        changes: diffFields({}, { ...speakerSystemAuditState(system), room: room.id }, [
          ...speakerSystemTrackedFields,
          'room',
        ]),
      })
      if (methodNeedsGenderTags(system.methodName))
        await syncGenderComponent(trx, meeting, input.actor)
      publishAfterCommit(trx, systemMessages(system, input.actor.requestId ?? null))
      return system
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/**
 * Changes system fields and/or `active_list` (which must belong to the
 * system). A new active list is pushed in full on the room channel.
 */
export class UpdateSpeakerSystem {
  async execute(input: {
    system: SpeakerListSystem
    fields: SpeakerSystemFields
    activeList?: number | null
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const system = await SpeakerListSystem.forOrganisation(input.system.organisationId)
        .where('id', input.system.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!system) throw notFound('No such speaker system')
      const meeting = await Meeting.forOrganisation(system.organisationId)
        .where('id', system.meetingId)
        .useTransaction(trx)
        .firstOrFail()
      const before = speakerSystemAuditState(system)
      const methodBefore = system.methodName
      applyFields(system, input.fields)
      let newActive: SpeakerList | null = null
      if (input.activeList !== undefined && input.activeList !== system.activeListId) {
        if (input.activeList !== null) {
          newActive = await SpeakerList.forOrganisation(system.organisationId)
            .where('id', input.activeList)
            .where('speaker_system_id', system.id)
            .useTransaction(trx)
            .first()
          if (!newActive)
            throw fieldError(
              'active_list',
              'The list does not belong to this speaker system',
              'exists'
            )
        }
        system.activeListId = input.activeList
      }
      const changes = diffFields(
        before,
        speakerSystemAuditState(system),
        speakerSystemTrackedFields
      )
      if (Object.keys(changes).length === 0) return system
      system.rev += 1
      await system.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: system.organisationId,
        meetingId: system.meetingId,
        action: 'update',
        event: 'speaker_system.updated',
        model: 'SpeakerListSystem',
        objectId: system.id,
        changes,
      })
      if (methodBefore !== system.methodName) await syncGenderComponent(trx, meeting, input.actor)
      const rid = input.actor.requestId ?? null
      const messages: OutgoingMessage[] = systemMessages(system, rid)
      if (newActive) messages.push(...(await activeListRefresh(trx, system, newActive, rid)))
      publishAfterCommit(trx, messages)
      // A new method, settings or safe positions reorder every list at once (domain §12.4).
      if (changes.method_name || changes.settings || changes.safe_positions) {
        const lists = await SpeakerList.forOrganisation(system.organisationId)
          .where('speaker_system_id', system.id)
          .useTransaction(trx)
        for (const list of lists) {
          await runListOperation(
            system.organisationId,
            list.id,
            input.actor,
            async () => ({ result: null }),
            trx
          )
        }
      }
      return system
    })
  }
}

/** Full refresh of the active list on the room channel: the list, then each open turn. */
async function activeListRefresh(
  trx: TransactionClientContract,
  system: SpeakerListSystem,
  list: SpeakerList,
  rid: string | null
) {
  const turns = await openTurnsOf(list, trx)
  const now = Date.now()
  const roomChannel = channels.room(system.meetingId, system.roomId)
  return [
    ...listMessages(system, list, turns, rid).filter((message) => message.channel === roomChannel),
    ...turns.flatMap((turn) =>
      turnMessages(system, list, turn, now, rid).filter(
        (message) => message.channel === roomChannel
      )
    ),
  ]
}

/** Deletes a system with its lists and turns (cascade). */
export class DeleteSpeakerSystem {
  async execute(input: {
    system: SpeakerListSystem
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const system = await SpeakerListSystem.forOrganisation(input.system.organisationId)
        .where('id', input.system.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!system) throw notFound('No such speaker system')
      const meeting = await Meeting.forOrganisation(system.organisationId)
        .where('id', system.meetingId)
        .useTransaction(trx)
        .firstOrFail()
      const lists = await SpeakerList.forOrganisation(system.organisationId)
        .where('speaker_system_id', system.id)
        .useTransaction(trx)
      await system.useTransaction(trx).delete()
      await recordAudit(trx, input.actor, {
        organisationId: system.organisationId,
        meetingId: system.meetingId,
        action: 'delete',
        event: 'speaker_system.deleted',
        model: 'SpeakerListSystem',
        objectId: system.id,
        changes: {
          ...diffFields(speakerSystemAuditState(system), {}, speakerSystemTrackedFields),
          lists: [lists.length, 0],
        },
      })
      if (system.methodName === 'gender_prio') await syncGenderComponent(trx, meeting, input.actor)
      const rid = input.actor.requestId ?? null
      publishAfterCommit(trx, [
        ...lists.map((list) => ({
          channel: channels.speakerList(list.meetingId, list.id),
          type: 'speaker_list.deleted',
          data: { id: list.id, rev: list.rev + 1, meeting: list.meetingId },
          rid,
        })),
        ...systemMessages(system, rid, true),
      ])
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/** activate / inactivate (and internal archive, forced) of domain §12.2. */
export class TransitionSpeakerSystem {
  async execute(input: {
    system: SpeakerListSystem
    event: string
    actor: Actor
    speakerActor: SpeakerActor | null
    force?: boolean
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const system = await SpeakerListSystem.forOrganisation(input.system.organisationId)
        .where('id', input.system.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!system) throw notFound('No such speaker system')
      const meeting = await Meeting.forOrganisation(system.organisationId)
        .where('id', system.meetingId)
        .useTransaction(trx)
        .firstOrFail()
      const someoneSpeaking =
        system.activeListId !== null &&
        (await countSpeakingTurns(trx, system.organisationId, { listId: system.activeListId })) > 0
      const facts = systemFacts(system, meeting)
      const { from, to } = assertEvaluation(
        evaluate(speakerSystemMachine, {
          state: system.state,
          event: input.event,
          facts: { someoneSpeaking },
          can: (permission) =>
            !!input.speakerActor && speakerPermission(permission, input.speakerActor, facts),
          force: input.force,
        })
      )
      const context = {
        trx,
        machine: speakerSystemMachine.name,
        object: system,
        event: input.event,
        from,
        to,
        actor: input.actor,
        force: !!input.force,
      }
      await runTransitionHooks('before', context)
      const before = speakerSystemAuditState(system)
      const patch = systemTransitionPatch(input.event, to)
      system.state = patch.state as SpeakerSystemState
      if (patch.clearActiveList) system.activeListId = null
      system.rev += 1
      await system.useTransaction(trx).save()
      const rid = input.actor.requestId ?? null
      const messages: OutgoingMessage[] = []
      if (input.event === 'archive') {
        // Domain §12.2: unfinished turns are deleted and every list's order emptied.
        const lists = await SpeakerList.forOrganisation(system.organisationId)
          .where('speaker_system_id', system.id)
          .useTransaction(trx)
        for (const list of lists) {
          const open = await openTurnsOf(list, trx)
          for (const turn of open) await turn.useTransaction(trx).delete()
          if (list.order.length > 0 || open.length > 0) {
            list.order = []
            list.rev += 1
            await list.useTransaction(trx).save()
            messages.push(...listMessages(system, list, [], rid))
          }
        }
      }
      await recordAudit(trx, input.actor, {
        organisationId: system.organisationId,
        meetingId: system.meetingId,
        action: 'update',
        event: `speaker_system.${input.event}`,
        model: 'SpeakerListSystem',
        objectId: system.id,
        changes: diffFields(before, speakerSystemAuditState(system), speakerSystemTrackedFields),
      })
      await runTransitionHooks('after', context)
      publishAfterCommit(trx, [...systemMessages(system, rid), ...messages])
      return system
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/** Guard used by the room and agenda hooks: 422 while someone speaks. */
export function someoneSpeakingError(message = 'Someone is speaking') {
  return new DomainError('speaker.someone_speaking', message)
}
