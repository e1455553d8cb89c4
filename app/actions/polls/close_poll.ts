import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import lockManager from '@adonisjs/lock/services/main'
import { DateTime } from 'luxon'
import type Poll from '#models/poll'
import Meeting from '#models/meeting'
import type { MeetingActor } from '#domain/permissions/meeting'
import Vote from '#models/vote'
import PollParticipation from '#models/poll_participation'
import PollBallot from '#models/poll_ballot'
import PollReceipt from '#models/poll_receipt'
import ElectoralRegister from '#models/electoral_register'
import type User from '#models/user'
import { DomainError } from '#domain/errors'
import { evaluate } from '#domain/state_machines/machine'
import { pollMachine } from '#domain/polls/state_machine'
import {
  count,
  toStoredResult,
  voteString,
  type CountDocument,
  type MethodId,
} from '#domain/polls/counting/index'
import { normalizeSettings } from '#domain/polls/counting/index'
import { generateSeed } from '#domain/polls/counting/random'
import { applyThresholds } from '#domain/polls/thresholds'
import { recordAudit, type Actor } from '#services/audit_log'
import { meetingActor } from '#services/meeting_facts'
import { assertEvaluation } from '#services/transitions'
import { pollMachineFacts, pollProposalIds, votePayload } from '#services/polls'
import { forgetPollKey, voterRefs, shuffled } from '#services/poll_secrecy'
import { forgetPollStatus } from '#realtime/poll_status'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import SetProposalStates from '#actions/proposals/set_proposal_states'
import {
  lockedPoll,
  pollCan,
  savePollState,
  type PollContext,
} from '#actions/polls/transition_poll'

/**
 * Closing a poll (domain §10.3 `close`, §10.4, poll-methods.md §4.2):
 * exactly once across instances (a named lock, then the state is checked
 * again inside the transaction with the row locked; finalisation columns are
 * write-once). Votes are serialised against close by a per-poll advisory
 * lock (PostgreSQL): casting holds it shared, transitions exclusively.
 */
export default class ClosePoll {
  async execute(input: {
    poll: Poll
    user: User | null
    actor: Actor
    force?: boolean
  }): Promise<Poll> {
    const meeting = await Meeting.findInOrganisation(
      input.poll.organisationId,
      input.poll.meetingId
    )
    const actor = input.force ? null : await meetingActor(input.user, meeting!)
    const lock = lockManager.createLock(`poll:close:${input.poll.id}`, '5m')
    const [acquired, poll] = await lock.run(() =>
      db.transaction((trx) => this.closeIn(trx, input, actor))
    )
    if (!acquired)
      throw new DomainError('request.already_running', 'The poll is being closed by someone else')
    forgetPollStatus(poll.id)
    return poll
  }

  private async closeIn(
    trx: TransactionClientContract,
    input: { poll: Poll; user: User | null; actor: Actor; force?: boolean },
    actor: MeetingActor | null
  ) {
    const context = await lockedPoll(trx, input.poll.organisationId, input.poll.id)
    const { poll, meeting, item } = context
    const facts = await pollMachineFacts(trx, poll, meeting, item)
    const { to } = assertEvaluation(
      evaluate(pollMachine, {
        state: poll.state,
        event: 'close',
        facts,
        can: pollCan(actor, context),
        force: input.force,
      })
    )
    if (poll.ballotChecksum !== null) {
      // Write-once (domain §10.4): a poll that was finalised can never be finalised again.
      throw new DomainError('poll.already_finalised', 'The poll has already been counted')
    }
    poll.closedAt = DateTime.utc()
    await savePollState(trx, context, 'close', to, input.actor)
    await ClosePoll.complete(trx, context, input.actor)
    return poll
  }

  /** Automatic completion (domain §10.4) of a poll in `closed`. */
  static async complete(trx: TransactionClientContract, context: PollContext, actor: Actor) {
    const { poll } = context
    const internal = async (
      event: 'finish' | 'finish_withheld' | 'mark_no_result' | 'fail',
      changes?: Record<string, [unknown, unknown]>
    ) => {
      const { to } = assertEvaluation(
        evaluate(pollMachine, {
          state: poll.state,
          event,
          facts: {} as never,
          can: () => true,
          force: true,
        })
      )
      await savePollState(trx, context, event, to, actor, { changes })
    }
    const register = poll.electoralRegisterId
      ? await ElectoralRegister.forOrganisation(poll.organisationId)
          .where('id', poll.electoralRegisterId)
          .useTransaction(trx)
          .first()
      : null
    if (!register) {
      await internal('mark_no_result')
      await ClosePoll.release(trx, poll, actor)
      return
    }
    const weights = register.voterMap
    const refOf = voterRefs(poll)
    const userOfRef = new Map<string, number>()
    for (const userId of weights.keys()) userOfRef.set(refOf(userId), userId)

    // 2. Votes of users who are not in the register any more are discarded.
    const messages: OutgoingMessage[] = []
    const participations = await PollParticipation.forOrganisation(poll.organisationId)
      .where('poll_id', poll.id)
      .useTransaction(trx)
    const outsiders = participations
      .filter((row) => !weights.has(row.userId))
      .map((row) => row.userId)
    if (outsiders.length > 0) {
      const refs = outsiders.map(refOf)
      const discarded = await Vote.forOrganisation(poll.organisationId)
        .where('poll_id', poll.id)
        .whereIn('voter_ref', refs)
        .useTransaction(trx)
      await Vote.forOrganisation(poll.organisationId)
        .where('poll_id', poll.id)
        .whereIn('voter_ref', refs)
        .useTransaction(trx)
        .delete()
      await PollParticipation.forOrganisation(poll.organisationId)
        .where('poll_id', poll.id)
        .whereIn('user_id', outsiders)
        .useTransaction(trx)
        .delete()
      const byRef = new Map(outsiders.map((userId) => [refOf(userId), userId]))
      for (const vote of discarded) {
        const userId = byRef.get(vote.voterRef)!
        messages.push({
          channel: channels.user(userId),
          type: 'vote.deleted',
          data: { id: vote.id, poll: poll.id, meeting: poll.meetingId },
        })
      }
      await recordAudit(trx, actor, {
        organisationId: poll.organisationId,
        meetingId: poll.meetingId,
        agendaItemId: poll.agendaItemId,
        action: 'delete',
        event: 'poll.votes_discarded',
        model: 'Poll',
        objectId: poll.id,
        changes: { discarded: [discarded.length, 0] },
      })
    }
    publishAfterCommit(trx, messages)

    // Finalisation (§10.4): votes in id order, weight = register weight.
    const votes = await Vote.forOrganisation(poll.organisationId)
      .where('poll_id', poll.id)
      .useTransaction(trx)
      .orderBy('id')
    let abstains = 0
    let turnoutVoters = 0
    let turnoutWeight = 0
    const merged = new Map<string, { payload: Record<string, unknown>; count: number }>()
    const ballots: Array<{
      abstain: boolean
      voteData: string | null
      weight: number
      receiptHash: string
    }> = []
    for (const vote of votes) {
      const userId = userOfRef.get(vote.voterRef)
      if (userId === undefined) continue // defensive: discarded above
      const weight = weights.get(userId)!
      turnoutVoters++
      turnoutWeight += weight
      ballots.push({
        abstain: vote.abstain,
        voteData: vote.abstain ? null : vote.voteData,
        weight,
        receiptHash: vote.receiptHash,
      })
      if (vote.abstain) {
        abstains += weight
        continue
      }
      const entry = merged.get(vote.voteData)
      if (entry) entry.count += weight
      else
        merged.set(vote.voteData, {
          payload: votePayload(poll.methodName, vote.voteData, false)!,
          count: weight,
        })
    }
    const turnout = {
      voters: register.voters,
      total_weight: register.totalWeight,
      turnout_voters: turnoutVoters,
      turnout_weight: turnoutWeight,
    }

    if (merged.size === 0) {
      poll.abstains = abstains
      poll.turnout = turnout
      await internal('mark_no_result')
      await ClosePoll.storeBallots(trx, poll, ballots)
      await ClosePoll.release(trx, poll, actor)
      return
    }

    const candidates = await pollProposalIds(trx, poll)
    const method = poll.methodName as MethodId
    const document: CountDocument = {
      method,
      settings: normalizeSettings(method, poll.settings ?? null) as Record<string, unknown> | null,
      candidates,
      ballots: [...merged.values()].map(({ payload, count: weight }) => ({
        ...payload,
        count: weight,
      })),
      abstentions: abstains,
      seed: generateSeed(),
    }
    let stored: Record<string, unknown>
    let thresholds
    try {
      // Every merged key must reproduce itself: the stored vote strings are the ballot keys.
      for (const [key, { payload }] of merged) {
        if (voteString(method, payload) !== key)
          throw new Error(`vote string ${JSON.stringify(key)} is not canonical`)
      }
      const started = performance.now()
      const counted = count(document)
      thresholds = applyThresholds({
        result: counted,
        abstains,
        quorum: poll.quorum,
        majority: poll.majority,
        register: { voters: register.voters, totalWeight: register.totalWeight },
        turnout: { voters: turnoutVoters, weight: turnoutWeight },
      })
      stored = {
        ...toStoredResult(counted, (performance.now() - started) / 1000),
        approved: thresholds.approved,
        denied: thresholds.denied,
        quorum_met: thresholds.quorum_met,
        majority_met: thresholds.majority_met,
      }
      poll.ballotData = counted.ballot_data
      poll.ballotChecksum = counted.ballot_checksum_sha512
    } catch (error) {
      // 5. Any counting error → failed; nothing of the finalisation is stored (retry by closing again).
      await internal('fail', {
        error: [null, error instanceof Error ? error.message : String(error)],
      })
      return
    }
    poll.abstains = abstains
    poll.result = stored
    poll.countDocument = document as unknown as Record<string, unknown>
    poll.turnout = turnout
    await ClosePoll.storeBallots(trx, poll, ballots)
    if (thresholds.outcome === 'no_result') {
      poll.resultReason = thresholds.reason
      await internal('mark_no_result')
      await ClosePoll.release(trx, poll, actor)
    } else if (poll.withheldResult) {
      await internal('finish_withheld')
    } else {
      await internal('finish')
      await ClosePoll.applyResult(trx, poll, actor)
    }
  }

  /**
   * Counted ballots to poll_ballots in random order; for secret polls the vote
   * rows and the voter key are destroyed (B-ADD-06), participation stays.
   * Receipt hashes (B-NEW-02) go on the ballot rows in `content` mode; in
   * `inclusion` mode they go to poll_receipts in hash order and the ballot
   * rows (and an open poll's vote rows) keep none, so no row links a hash to
   * a ballot content.
   */
  static async storeBallots(
    trx: TransactionClientContract,
    poll: Poll,
    ballots: Array<{
      abstain: boolean
      voteData: string | null
      weight: number
      receiptHash: string
    }>
  ) {
    const inclusion = poll.receiptMode === 'inclusion'
    const rows = shuffled(ballots).map((ballot, position) => ({
      organisation_id: poll.organisationId,
      poll_id: poll.id,
      position,
      abstain: ballot.abstain,
      vote_data: ballot.voteData,
      weight: ballot.weight,
      receipt_hash: inclusion ? null : ballot.receiptHash,
    }))
    await PollBallot.forOrganisation(poll.organisationId)
      .where('poll_id', poll.id)
      .useTransaction(trx)
      .delete()
    await PollReceipt.forOrganisation(poll.organisationId)
      .where('poll_id', poll.id)
      .useTransaction(trx)
      .delete()
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertQuery()
        .table('poll_ballots')
        .multiInsert(rows.slice(i, i + 500))
    if (inclusion) {
      const receipts = ballots
        .map((ballot) => ballot.receiptHash)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((hash) => ({
          organisation_id: poll.organisationId,
          poll_id: poll.id,
          receipt_hash: hash,
        }))
      for (let i = 0; i < receipts.length; i += 500)
        await trx
          .insertQuery()
          .table('poll_receipts')
          .multiInsert(receipts.slice(i, i + 500))
      if (!poll.secret) {
        // An open poll keeps its vote rows (voter and content); not their receipts.
        await Vote.forOrganisation(poll.organisationId)
          .where('poll_id', poll.id)
          .useTransaction(trx)
          .update({ receipt_hash: '' })
      }
    }
    if (poll.secret) {
      await Vote.forOrganisation(poll.organisationId)
        .where('poll_id', poll.id)
        .useTransaction(trx)
        .delete()
      poll.voterKeySalt = null
      await poll.useTransaction(trx).save()
      forgetPollKey(poll.id)
    }
  }

  /** Proposals back to `published` (no result, cancel). */
  static async release(trx: TransactionClientContract, poll: Poll, actor: Actor) {
    const ids = await pollProposalIds(trx, poll)
    await new SetProposalStates().execute({
      trx,
      organisationId: poll.organisationId,
      targets: ids.map((proposal) => ({ proposal, state: 'published' as const })),
      actor,
      releasingPollId: poll.id,
    })
  }

  /** Applies a result to the proposals (poll-methods.md §4.5). */
  static async applyResult(trx: TransactionClientContract, poll: Poll, actor: Actor) {
    const ids = await pollProposalIds(trx, poll)
    const approved = new Set(((poll.result?.approved as unknown[]) ?? []).map(Number))
    const denied = new Set(((poll.result?.denied as unknown[]) ?? []).map(Number))
    await new SetProposalStates().execute({
      trx,
      organisationId: poll.organisationId,
      targets: ids.map((proposal) => ({
        proposal,
        state: approved.has(proposal)
          ? ('approved' as const)
          : denied.has(proposal)
            ? ('denied' as const)
            : ('published' as const),
      })),
      actor,
      releasingPollId: poll.id,
    })
  }
}
