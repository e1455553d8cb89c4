import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import type User from '#models/user'
import Proposal from '#models/proposal'
import { DomainError } from '#domain/errors'
import { eventLeadingTo, type ProposalState } from '#domain/proposals/state_machine'
import type { Actor } from '#services/audit_log'
import { meetingActor } from '#services/meeting_facts'
import TransitionProposal from '#actions/proposals/transition_proposal'

/**
 * Admin bulk "set state" (domain §5 "bulk send state machine event", §24
 * "hide" = retract, "lock" = lock_for_vote): the target state is mapped to the
 * machine event per proposal; proposals for which the event is not available
 * or not permitted are skipped, like the agenda bulk change. One transaction;
 * every change is audited by TransitionProposal.
 */
export default class BulkTransitionProposals {
  async execute(input: {
    meeting: Meeting
    proposalIds: number[]
    state: ProposalState
    user: User
    actor: Actor
  }) {
    // Gathered before the transaction: SQLite has a single connection, which the transaction holds.
    const callerFacts = await meetingActor(input.user, input.meeting)
    return db.transaction(async (trx) => {
      const proposals = await Proposal.forOrganisation(input.meeting.organisationId)
        .where('meeting_id', input.meeting.id)
        .whereIn('id', input.proposalIds)
        .useTransaction(trx)
        .orderBy('id')
      let changed = 0
      const skipped: string[] = []
      for (const proposal of proposals) {
        const event = eventLeadingTo(proposal.state, input.state)
        if (!event) {
          if (proposal.state !== input.state) skipped.push(proposal.propId)
          continue
        }
        try {
          await new TransitionProposal().execute({
            proposal,
            event,
            user: input.user,
            actor: input.actor,
            trx,
            callerFacts,
          })
          changed++
        } catch (error) {
          if (!(error instanceof DomainError)) throw error
          skipped.push(proposal.propId)
        }
      }
      return { changed, skipped }
    })
  }
}
