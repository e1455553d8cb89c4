import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import Poll, { pollAuditState, pollTrackedFields } from '#models/poll'
import Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import Vote from '#models/vote'
import PollParticipation from '#models/poll_participation'
import type User from '#models/user'
import { DomainError, notFound } from '#domain/errors'
import { evaluate } from '#domain/state_machines/machine'
import { pollMachine, type PollState } from '#domain/polls/state_machine'
import { canChangePollState } from '#domain/permissions/polls'
import type { MeetingActor } from '#domain/permissions/meeting'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { assertEvaluation, runTransitionHooks } from '#services/transitions'
import { applyPolicyToPoll } from '#services/electoral_registers'
import {
  lockPollForTransition,
  pollMachineFacts,
  pollProposalIds,
  pollTurnout,
  announceTurnoutAfterCommit,
} from '#services/polls'
import { newVoterKeySalt } from '#services/poll_secrecy'
import { publishAfterCommit } from '#realtime/publish'
import { pollMessages } from '#transformers/poll_transformer'
import SetProposalStates from '#actions/proposals/set_proposal_states'
import ClosePoll from '#actions/polls/close_poll'

export interface PollContext {
  poll: Poll
  meeting: Meeting
  item: AgendaItem | null
}

/** Loads the poll locked for update with its meeting and agenda item. */
export async function lockedPoll(
  trx: TransactionClientContract,
  organisationId: number,
  pollId: number
): Promise<PollContext> {
  await lockPollForTransition(trx, pollId)
  const poll = await Poll.forOrganisation(organisationId)
    .where('id', pollId)
    .useTransaction(trx)
    .forUpdate()
    .first()
  if (!poll) throw notFound('No such poll')
  const meeting = await Meeting.forOrganisation(organisationId)
    .where('id', poll.meetingId)
    .useTransaction(trx)
    .firstOrFail()
  const item = poll.agendaItemId
    ? await AgendaItem.forOrganisation(organisationId)
        .where('id', poll.agendaItemId)
        .useTransaction(trx)
        .first()
    : null
  return { poll, meeting, item }
}

export function pollCan(
  actor: MeetingActor | null,
  context: Omit<PollContext, 'poll'> & { poll: Poll }
) {
  return (permission: string) =>
    permission === 'poll.change_state' &&
    canChangePollState(actor, meetingFacts(context.meeting), {
      state: context.poll.state,
      itemState: context.item?.state ?? null,
    })
}

/** Writes a state change of a poll: audit entry + `poll.changed` after commit. */
export async function savePollState(
  trx: TransactionClientContract,
  context: PollContext,
  event: string,
  to: PollState,
  actor: Actor,
  extra: { changes?: Record<string, [unknown, unknown]> } = {}
) {
  const { poll } = context
  const before = pollAuditState(poll)
  const previous = poll.state
  poll.state = to
  poll.rev += 1
  await poll.useTransaction(trx).save()
  await recordAudit(trx, actor, {
    organisationId: poll.organisationId,
    meetingId: poll.meetingId,
    agendaItemId: poll.agendaItemId,
    action: 'update',
    event: `poll.${event}`,
    model: 'Poll',
    objectId: poll.id,
    changes: {
      ...diffFields(before, pollAuditState(poll), pollTrackedFields),
      ...(extra.changes ?? {}),
    },
  })
  const proposals = await pollProposalIds(trx, poll)
  publishAfterCommit(
    trx,
    pollMessages(
      poll,
      proposals,
      await pollTurnout(poll, trx),
      context.item?.state ?? null,
      actor.requestId ?? null,
      previous
    )
  )
}

/** Proposals of the poll to a state (D23/D24 handled by SetProposalStates). */
export async function moveProposals(
  trx: TransactionClientContract,
  poll: Poll,
  state: 'voting' | 'published',
  actor: Actor
) {
  const ids = await pollProposalIds(trx, poll)
  await new SetProposalStates().execute({
    trx,
    organisationId: poll.organisationId,
    targets: ids.map((proposal) => ({ proposal, state })),
    actor,
    releasingPollId: state === 'published' ? poll.id : undefined,
  })
}

/**
 * Fires one poll event (domain §10.3) with the poll row locked, in the check
 * order of domain §5. `close` is delegated to ClosePoll (lock + completion).
 */
export default class TransitionPoll {
  async execute(input: {
    poll: Poll
    event: string
    user: User | null
    actor: Actor
    force?: boolean
    reason?: string | null
    trx?: TransactionClientContract
    /** The caller's meeting facts, gathered before the transaction (SQLite has one connection). */
    meetingActor?: MeetingActor | null
  }): Promise<Poll> {
    if (input.event === 'close' && !input.trx) {
      return new ClosePoll().execute({
        poll: input.poll,
        user: input.user,
        actor: input.actor,
        force: input.force,
      })
    }
    const actor = input.force
      ? null
      : input.meetingActor !== undefined
        ? input.meetingActor
        : await meetingActor(
            input.user,
            (await Meeting.findInOrganisation(
              input.poll.organisationId,
              input.poll.meetingId
            )) as Meeting
          )
    const run = async (trx: TransactionClientContract) => {
      const context = await lockedPoll(trx, input.poll.organisationId, input.poll.id)
      const { poll, meeting, item } = context
      const facts = await pollMachineFacts(trx, poll, meeting, item, { reason: input.reason })
      const { from, to } = assertEvaluation(
        evaluate(pollMachine, {
          state: poll.state,
          event: input.event,
          facts,
          can: pollCan(actor, context),
          force: input.force,
        })
      )
      const hookContext = {
        trx,
        machine: pollMachine.name,
        object: poll,
        event: input.event,
        from,
        to,
        actor: input.actor,
        force: !!input.force,
      }
      await runTransitionHooks('before', hookContext)
      const extra: Record<string, [unknown, unknown]> = {}
      switch (input.event) {
        case 'make_upcoming':
        case 'make_ongoing': {
          await moveProposals(trx, poll, 'voting', input.actor)
          await applyPolicyToPoll(trx, meeting, poll, input.actor)
          if (input.event === 'make_ongoing') {
            poll.startedAt = DateTime.utc()
            if (poll.secret && !poll.voterKeySalt) poll.voterKeySalt = newVoterKeySalt()
          }
          break
        }
        case 'cancel':
          poll.closedAt = DateTime.utc()
          await moveProposals(trx, poll, 'published', input.actor)
          break
        case 'unpublish':
          await moveProposals(trx, poll, 'published', input.actor)
          break
        case 'publish_result':
          poll.withheldResult = false
          await ClosePoll.applyResult(trx, poll, input.actor)
          break
        case 'withhold_result':
          poll.withheldResult = true
          break
        case 'reset': {
          // B-NEW-07: votes deleted, register detached, proposals released; the reason is audited.
          await Vote.forOrganisation(poll.organisationId)
            .where('poll_id', poll.id)
            .useTransaction(trx)
            .delete()
          await PollParticipation.forOrganisation(poll.organisationId)
            .where('poll_id', poll.id)
            .useTransaction(trx)
            .delete()
          poll.electoralRegisterId = null
          poll.startedAt = null
          poll.closedAt = null
          poll.voterKeySalt = null
          await moveProposals(trx, poll, 'published', input.actor)
          extra.reason = [null, input.reason]
          break
        }
        case 'close':
          throw new DomainError('poll.close_needs_lock', 'Close a poll through ClosePoll')
      }
      await savePollState(trx, context, input.event, to, input.actor, { changes: extra })
      if (to === 'ongoing') {
        // api.md §8 "Start poll": poll.status {voted: 0, total: N} follows poll.changed.
        announceTurnoutAfterCommit(trx, poll)
      }
      await runTransitionHooks('after', hookContext)
      return poll
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
