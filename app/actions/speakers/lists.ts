import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AgendaItem from '#models/agenda_item'
import SpeakerList from '#models/speaker_list'
import SpeakerListSystem from '#models/speaker_list_system'
import { fieldError, notFound } from '#domain/errors'
import { evaluate } from '#domain/state_machines/machine'
import { speakerListMachine, type SpeakerListState } from '#domain/speakers/state_machines'
import { speakerPermission, type SpeakerActor } from '#domain/speakers/permissions'
import { recordAudit, type Actor } from '#services/audit_log'
import { assertEvaluation, runTransitionHooks } from '#services/transitions'
import { runListOperation } from '#services/speaker_queue'
import { systemFacts } from '#services/speaker_facts'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { listMessages, systemMessages } from '#transformers/speaker_transformer'

/** Speaker lists (domain §12.1, §12.3; api.md §6.15). */
export class CreateSpeakerList {
  async execute(input: {
    system: SpeakerListSystem
    agendaItemId: number | null
    title: string
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const system = input.system
      if (input.agendaItemId !== null) {
        const item = await AgendaItem.forOrganisation(system.organisationId)
          .where('id', input.agendaItemId)
          .where('meeting_id', system.meetingId)
          .useTransaction(trx)
          .first()
        if (!item) throw fieldError('agenda_item', 'No such agenda item in this meeting', 'exists')
      }
      const list = await SpeakerList.create(
        {
          organisationId: system.organisationId,
          meetingId: system.meetingId,
          speakerSystemId: system.id,
          agendaItemId: input.agendaItemId,
          title: input.title.trim(),
          state: speakerListMachine.initial,
          order: [],
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, input.actor, {
        organisationId: list.organisationId,
        meetingId: list.meetingId,
        agendaItemId: list.agendaItemId,
        action: 'create',
        event: 'speaker_list.created',
        model: 'SpeakerList',
        objectId: list.id,
        changes: {
          title: [null, list.title],
          speaker_system: [null, system.id],
          agenda_item: [null, list.agendaItemId],
          state: [null, list.state],
        },
      })
      publishAfterCommit(trx, listMessages(system, list, [], input.actor.requestId ?? null))
      return list
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

export class UpdateSpeakerList {
  async execute(input: { list: SpeakerList; title: string; actor: Actor }) {
    return runListOperation(
      input.list.organisationId,
      input.list.id,
      input.actor,
      async ({ list }) => {
        const title = input.title.trim()
        if (title === list.title) return { result: list }
        const before = list.title
        list.title = title
        return {
          result: list,
          listChanged: true,
          audit: [
            {
              action: 'update',
              event: 'speaker_list.updated',
              model: 'SpeakerList',
              objectId: list.id,
              changes: { title: [before, title] },
            },
          ],
        }
      }
    )
  }
}

/** Deletes a list with its turns; clears `active_list` pointing at it. */
export class DeleteSpeakerList {
  async execute(input: { list: SpeakerList; actor: Actor }) {
    return db.transaction(async (trx) => {
      const list = await SpeakerList.forOrganisation(input.list.organisationId)
        .where('id', input.list.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!list) throw notFound('No such speaker list')
      const system = await SpeakerListSystem.forOrganisation(list.organisationId)
        .where('id', list.speakerSystemId)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      const rid = input.actor.requestId ?? null
      const messages = []
      const wasActive = system.activeListId === list.id
      const deletedData = {
        id: list.id,
        rev: list.rev + 1,
        meeting: list.meetingId,
        room: system.roomId,
      }
      messages.push(
        ...[
          channels.speakerList(list.meetingId, list.id),
          ...(list.agendaItemId ? [channels.agendaItem(list.meetingId, list.agendaItemId)] : []),
          ...(wasActive ? [channels.room(list.meetingId, system.roomId)] : []),
        ].map((channel) => ({ channel, type: 'speaker_list.deleted', data: deletedData, rid }))
      )
      await list.useTransaction(trx).delete()
      if (wasActive) {
        system.activeListId = null
        system.rev += 1
        await system.useTransaction(trx).save()
        messages.push(...systemMessages(system, rid))
      }
      await recordAudit(trx, input.actor, {
        organisationId: list.organisationId,
        meetingId: list.meetingId,
        agendaItemId: list.agendaItemId,
        action: 'delete',
        event: 'speaker_list.deleted',
        model: 'SpeakerList',
        objectId: list.id,
        changes: { title: [list.title, null], state: [list.state, null] },
      })
      publishAfterCommit(trx, messages)
    })
  }
}

/**
 * open / close (domain §12.3). Forced closes come from the agenda item cascade:
 * they also clear an `active_list` pointing at the list.
 */
export class TransitionSpeakerList {
  async execute(input: {
    list: SpeakerList
    event: string
    actor: Actor
    speakerActor: SpeakerActor | null
    force?: boolean
    trx?: TransactionClientContract
  }) {
    return runListOperation(
      input.list.organisationId,
      input.list.id,
      input.actor,
      async ({ trx, list, system, meeting }) => {
        const facts = systemFacts(system, meeting)
        const { from, to } = assertEvaluation(
          evaluate(speakerListMachine, {
            state: list.state,
            event: input.event,
            facts: {},
            can: (permission) =>
              !!input.speakerActor && speakerPermission(permission, input.speakerActor, facts),
            force: input.force,
          })
        )
        const context = {
          trx,
          machine: speakerListMachine.name,
          object: list,
          event: input.event,
          from,
          to,
          actor: input.actor,
          force: !!input.force,
        }
        await runTransitionHooks('before', context)
        list.state = to as SpeakerListState
        if (input.force && to === 'closed' && system.activeListId === list.id) {
          const locked = await SpeakerListSystem.forOrganisation(system.organisationId)
            .where('id', system.id)
            .useTransaction(trx)
            .forUpdate()
            .firstOrFail()
          locked.activeListId = null
          locked.rev += 1
          await locked.useTransaction(trx).save()
          publishAfterCommit(trx, systemMessages(locked, input.actor.requestId ?? null))
        }
        await runTransitionHooks('after', context)
        return {
          result: list,
          listChanged: true,
          audit: [
            {
              action: 'update',
              event: `speaker_list.${input.event}`,
              model: 'SpeakerList',
              objectId: list.id,
              changes: { state: [from, to] },
            },
          ],
        }
      },
      input.trx
    )
  }
}
