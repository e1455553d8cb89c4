import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import Proposal, { proposalAuditState, proposalTrackedFields } from '#models/proposal'
import AgendaItem from '#models/agenda_item'
import Meeting from '#models/meeting'
import type User from '#models/user'
import { notFound } from '#domain/errors'
import { proposalMachine } from '#domain/proposals/state_machine'
import { evaluate } from '#domain/state_machines/machine'
import { proposalPermission, type ProposalFacts } from '#domain/permissions/proposals'
import type { MeetingActor } from '#domain/permissions/meeting'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { contentItemFacts, isGroupMember } from '#services/content'
import { proposalsUsedInPolls } from '#services/proposal_hooks'
import { assertEvaluation, runTransitionHooks } from '#services/transitions'
import { publishAfterCommit } from '#realtime/publish'
import { proposalMessages } from '#transformers/proposal_transformer'

/** Facts about a proposal for its permission predicates (and `GET …/event`). */
export async function proposalFacts(
  proposal: Proposal,
  user: User | null,
  client: QueryClientContract = db.connection()
): Promise<ProposalFacts & { lockedByActivePoll: boolean }> {
  const locked = await proposalsUsedInPolls(client, {
    proposalIds: [proposal.id],
    activeOnly: true,
  })
  const used = locked.has(proposal.id)
    ? locked
    : await proposalsUsedInPolls(client, { proposalIds: [proposal.id], activeOnly: false })
  return {
    state: proposal.state,
    authorId: proposal.authorId,
    callerInGroup: await isGroupMember(
      proposal.organisationId,
      proposal.meetingGroupId,
      user?.id,
      client
    ),
    usedInPoll: used.has(proposal.id),
    lockedByActivePoll: locked.has(proposal.id),
  }
}

/** `can(permission)` for the proposal machine. */
export function proposalCan(
  actor: MeetingActor | null,
  meeting: Meeting,
  item: AgendaItem,
  facts: ProposalFacts
) {
  return (permission: string) =>
    proposalPermission(permission, actor, meetingFacts(meeting), contentItemFacts(item), facts)
}

/**
 * Fires one proposal event (domain §9.4) in one transaction with the row
 * locked, in the check order of domain §5; audited as `proposal.<event>`;
 * `proposal.changed` after commit. Internal callers pass `force`.
 */
export default class TransitionProposal {
  async execute(input: {
    proposal: Proposal
    event: string
    user: User | null
    actor: Actor
    force?: boolean
    trx?: TransactionClientContract
    /** The caller's meeting facts, gathered before the caller's transaction (bulk changes). */
    callerFacts?: MeetingActor | null
  }): Promise<Proposal> {
    // The caller's roles are read before the transaction: SQLite has one connection, and
    // the transaction holds it (a role change racing this request is decided either way).
    let actor: MeetingActor | null = null
    if (input.callerFacts !== undefined) {
      actor = input.callerFacts
    } else if (!input.force) {
      const callerMeeting = await Meeting.findInOrganisation(
        input.proposal.organisationId,
        input.proposal.meetingId
      )
      actor = callerMeeting ? await meetingActor(input.user, callerMeeting) : null
    }
    const run = async (trx: TransactionClientContract) => {
      const proposal = await Proposal.forOrganisation(input.proposal.organisationId)
        .where('id', input.proposal.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!proposal) throw notFound('No such proposal')
      const item = await AgendaItem.forOrganisation(proposal.organisationId)
        .where('id', proposal.agendaItemId)
        .useTransaction(trx)
        .firstOrFail()
      const meeting = await Meeting.forOrganisation(proposal.organisationId)
        .where('id', proposal.meetingId)
        .useTransaction(trx)
        .firstOrFail()
      const facts = await proposalFacts(proposal, input.user, trx)
      const { from, to } = assertEvaluation(
        evaluate(proposalMachine, {
          state: proposal.state,
          event: input.event,
          facts: { lockedByActivePoll: facts.lockedByActivePoll, forced: !!input.force },
          can: proposalCan(actor, meeting, item, facts),
          force: input.force,
        })
      )
      const context = {
        trx,
        machine: proposalMachine.name,
        object: proposal,
        event: input.event,
        from,
        to,
        actor: input.actor,
        force: !!input.force,
      }
      await runTransitionHooks('before', context)
      const before = proposalAuditState(proposal)
      proposal.state = to
      proposal.rev += 1
      await proposal.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: proposal.organisationId,
        meetingId: proposal.meetingId,
        agendaItemId: proposal.agendaItemId,
        action: 'update',
        event: `proposal.${input.event}`,
        model: 'Proposal',
        objectId: proposal.id,
        changes: diffFields(before, proposalAuditState(proposal), proposalTrackedFields),
      })
      await runTransitionHooks('after', context)
      publishAfterCommit(trx, proposalMessages(proposal, item.state, input.actor.requestId ?? null))
      return proposal
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
