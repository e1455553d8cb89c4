import logger from '@adonisjs/core/services/logger'
import { DateTime } from 'luxon'
import Poll from '#models/poll'
import ElectoralRegister from '#models/electoral_register'
import VoteTransfer from '#models/vote_transfer'
import { erPolicies, isErPolicyName } from '#domain/electoral_register/policies'
import {
  createRegisterIfNeeded,
  deleteTransferIn,
  latestRegister,
} from '#services/electoral_registers'
import { registerMeetingHook } from '#services/meeting_hooks'
import { registerProposalPollUsage } from '#services/proposal_hooks'
import { ongoingPollCount, proposalsInPolls } from '#services/polls'
import { systemActor } from '#services/audit_log'
import ClosePoll from '#actions/polls/close_poll'
import { dbTime } from '#services/db_time'

/**
 * How the poll module plugs into the others (registered once at boot from
 * start/routes/api_polls.ts):
 * - proposals know which polls use them (D23 lock, D24 release);
 * - meetings and agenda items count ongoing polls (close guards of §7.4, §8.2).
 */
let registered = false

export function registerPollHooks() {
  if (registered) return
  registered = true
  registerProposalPollUsage((client, query) => proposalsInPolls(client, query))
  registerMeetingHook('ongoingPolls', (client, scope) => ongoingPollCount(client, scope))

  // Policies with allow_poll_er_change (auto_always): a pv change makes a new register at once and
  // re-applies it to ongoing polls; a replaced register that no poll uses is deleted (domain §11.4).
  registerMeetingHook('rolesChanged', async ({ trx, meeting, actor, added, removed }) => {
    if (!added.includes('pv') && !removed.includes('pv')) return
    if (
      meeting.state !== 'ongoing' ||
      !meeting.erPolicyName ||
      !isErPolicyName(meeting.erPolicyName)
    )
      return
    const policy = erPolicies[meeting.erPolicyName]
    if (!policy.flags.allowPollErChange || policy.flags.historic) return
    const previous = await latestRegister(trx, meeting)
    const { register, created } = await createRegisterIfNeeded(trx, meeting, actor, { policy })
    if (!created || !register) return
    await Poll.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('state', 'ongoing')
      .useTransaction(trx)
      .update({ electoral_register_id: register.id })
    if (previous) {
      const users = await Poll.forOrganisation(meeting.organisationId)
        .where('electoral_register_id', previous.id)
        .useTransaction(trx)
        .first()
      if (!users)
        await ElectoralRegister.forOrganisation(meeting.organisationId)
          .where('id', previous.id)
          .useTransaction(trx)
          .delete()
    }
  })

  // Transfers are deleted when either user leaves the meeting (domain §11.1), audited and announced.
  registerMeetingHook('participantRemoved', async ({ trx, meeting, actor, userId }) => {
    const transfers = await VoteTransfer.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where((q) => q.where('source_id', userId).orWhere('target_id', userId))
      .useTransaction(trx)
    for (const transfer of transfers) await deleteTransferIn(trx, transfer, actor)
  })
}

/**
 * Closes ongoing polls whose `close_at` has passed (domain §10.1, §22.2), every
 * minute from the queue's scheduler (app/jobs/close_due_polls_job.ts). Every
 * instance may run it: ClosePoll takes the per-poll lock and checks the
 * state again inside its transaction, so each poll is closed exactly once.
 */
export async function closeDuePolls(now = new Date()): Promise<number[]> {
  const due = await Poll.acrossOrganisations('scheduled job: due polls of every organisation')
    .where('state', 'ongoing')
    .whereNotNull('close_at')
    // Compared in the dialect's stored form (SQLite keeps text timestamps).
    .where('close_at', '<=', dbTime(DateTime.fromJSDate(now)))
    .orderBy('id')
  const closed: number[] = []
  for (const poll of due) {
    try {
      const result = await new ClosePoll().execute({
        poll,
        user: null,
        actor: systemActor('job'),
        force: true,
      })
      closed.push(result.id)
    } catch (error) {
      // Another instance closed it first (state no longer ongoing), or it is being closed now.
      logger.debug({ err: error, poll: poll.id }, 'close_at: poll not closed by this instance')
    }
  }
  return closed
}
