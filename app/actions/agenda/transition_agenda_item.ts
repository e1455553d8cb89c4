import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AgendaItem, { agendaItemAuditState, agendaItemTrackedFields } from '#models/agenda_item'
import Meeting from '#models/meeting'
import type User from '#models/user'
import { notFound } from '#domain/errors'
import { agendaItemMachine, type AgendaItemState } from '#domain/agenda/state_machine'
import { evaluate } from '#domain/state_machines/machine'
import { meetingPermission } from '#domain/permissions/meeting'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { countOngoingPolls } from '#services/meeting_hooks'
import { assertEvaluation, runTransitionHooks } from '#services/transitions'
import { publishAfterCommit } from '#realtime/publish'
import { agendaItemMessages } from '#transformers/agenda_item_transformer'

export interface TransitionAgendaItemInput {
  item: AgendaItem
  event: string
  /** The caller whose permissions are checked; ignored with `force`. */
  user: User | null
  actor: Actor
  /** Internal callers (meeting close/archive cascades): skips permission checks. */
  force?: boolean
  trx?: TransactionClientContract
}

/** Facts the agenda item machine needs (also for `GET …/event`). */
export async function agendaItemMachineFacts(
  item: AgendaItem,
  meeting: Meeting,
  client?: TransactionClientContract
) {
  return {
    from: item.state,
    meetingState: meeting.state,
    ongoingPolls: await countOngoingPolls(client ?? db.connection(), {
      meetingId: meeting.id,
      agendaItemId: item.id,
    }),
  }
}

/**
 * Fires one agenda item event (domain §8.2) in one transaction with the row
 * locked; audited as `agenda_item.<event>`; realtime after commit.
 */
export default class TransitionAgendaItem {
  async execute(input: TransitionAgendaItemInput): Promise<AgendaItem> {
    const run = async (trx: TransactionClientContract) => {
      const item = await AgendaItem.forOrganisation(input.item.organisationId)
        .where('id', input.item.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!item) throw notFound('No such agenda item')
      const meeting = await Meeting.forOrganisation(item.organisationId)
        .where('id', item.meetingId)
        .useTransaction(trx)
        .firstOrFail()
      const facts = await agendaItemMachineFacts(item, meeting, trx)
      const actorFacts = input.force ? null : await meetingActor(input.user, meeting, trx)
      const { from, to } = assertEvaluation(
        evaluate(agendaItemMachine, {
          state: item.state,
          event: input.event,
          facts,
          can: (permission) =>
            meetingPermission(permission, actorFacts, meetingFacts(meeting), { state: item.state }),
          force: input.force,
        })
      )
      const context = {
        trx,
        machine: agendaItemMachine.name,
        object: item,
        event: input.event,
        from,
        to,
        actor: input.actor,
        force: !!input.force,
      }
      await runTransitionHooks('before', context)

      const before = agendaItemAuditState(item)
      item.state = to as AgendaItemState
      item.rev += 1
      await item.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: item.organisationId,
        meetingId: item.meetingId,
        agendaItemId: item.id,
        action: 'update',
        event: `agenda_item.${input.event}`,
        model: 'AgendaItem',
        objectId: item.id,
        changes: diffFields(before, agendaItemAuditState(item), agendaItemTrackedFields),
      })
      await runTransitionHooks('after', context)
      publishAfterCommit(trx, agendaItemMessages(item, from, input.actor.requestId ?? null))
      return item
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
