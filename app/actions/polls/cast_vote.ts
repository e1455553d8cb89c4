import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { DateTime } from 'luxon'
import Poll from '#models/poll'
import Vote from '#models/vote'
import PollParticipation from '#models/poll_participation'
import type User from '#models/user'
import { DomainError, notFound, permissionDenied } from '#domain/errors'
import {
  normalizeSettings,
  validateVote,
  voteString,
  type MethodId,
} from '#domain/polls/counting/index'
import { canVote } from '#domain/permissions/polls'
import { recordAudit, recordAudits, type Actor, type AuditRecordOf } from '#services/audit_log'
import { isUniqueViolation } from '#services/unique_violation'
import { GroupCommit, type FlushResult } from '#services/group_commit'
import {
  announceTurnoutAfterCommit,
  cachedRegister,
  lockPollForVote,
  pollProposalIds,
} from '#services/polls'
import { newReceiptCode, receiptHash, voterRefs } from '#services/poll_secrecy'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { votePayloadOf } from '#transformers/poll_transformer'
import { dbTime } from '#services/db_time'

export interface CastVoteInput {
  organisationId: number
  pollId: number
  user: User
  vote?: unknown
  abstain?: boolean
  actor: Actor
}

/** Proposal ids per poll: fixed while the poll is ongoing (proposals are only editable before). */
const candidatesCache = new Map<string, number[]>()

interface CastOutcome {
  vote: Vote
  poll: Poll
  created: boolean
  receipt: string
}

/** A racing first cast on another instance (unique violation) or a deadlock between instances. */
function isRetryable(error: unknown) {
  return isUniqueViolation(error) || (error as { code?: string })?.code === '40P01'
}

/**
 * Casting a vote (domain §10.2): an upsert on (poll, voter). Votes of one poll
 * are written by group commit (#services/group_commit): the votes that arrive
 * while a transaction runs share the next one, at most one per voter, so a
 * voter's votes still apply in arrival order. Each transaction holds the poll
 * with a shared advisory lock, so a close (exclusive) waits for votes in flight
 * and no vote is stored after the poll left `ongoing`. Unique (poll_id,
 * voter_ref) makes a second row impossible. Every vote is committed before its
 * answer goes out, so an acknowledged vote is never lost.
 */
export default class CastVote {
  async execute(input: CastVoteInput): Promise<CastOutcome> {
    if (input.abstain && input.vote !== undefined && input.vote !== null) {
      throw new DomainError('vote.abstain_with_vote', 'Send either a vote or abstain, not both', {
        field: 'abstain',
        rule: 'exclusive',
      })
    }
    if (!input.abstain && (input.vote === undefined || input.vote === null)) {
      throw new DomainError('validation.failed', 'The vote is required', {
        field: 'vote',
        rule: 'required',
      })
    }
    return voteCommits.submit(`${input.organisationId}:${input.pollId}`, input)
  }
}

const voteCommits = new GroupCommit<CastVoteInput, CastOutcome>(
  async (_key, inputs) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction((trx) => castBatch(trx, inputs))
      } catch (error) {
        if (attempt < 3 && isRetryable(error)) continue
        throw error
      }
    }
  },
  // Several transactions at once, so that one's commit (a disk flush) overlaps the next one's work.
  { conflictKey: (input) => input.user.id, concurrency: 3 }
)

/**
 * One transaction for votes of one poll, one per voter. Refusals are per vote.
 * Exported for the race test of several instances (each with its own group commit).
 */
export async function castBatch(
  trx: TransactionClientContract,
  inputs: CastVoteInput[]
): Promise<FlushResult<CastOutcome>> {
  const { organisationId, pollId } = inputs[0]
  await lockPollForVote(trx, pollId)
  const poll = await Poll.forOrganisation(organisationId)
    .where('id', pollId)
    .useTransaction(trx)
    .first()
  if (!poll) return inputs.map(() => ({ ok: false, error: notFound('No such poll') }))
  const register = poll.electoralRegisterId
    ? await cachedRegister(trx, poll.organisationId, poll.electoralRegisterId)
    : null
  const method = poll.methodName as MethodId
  const settings = normalizeSettings(method, poll.settings ?? null)
  const candidates = await candidatesOf(trx, poll)
  // Derived only for a vote that may be cast: a closed secret poll has no voter key any more.
  let voterRef: ((userId: number) => string) | undefined

  const results: FlushResult<CastOutcome> = []
  const accepted: Array<{
    index: number
    input: CastVoteInput
    receipt: string
    row: Record<string, unknown>
  }> = []
  const now = dbTime(DateTime.utc(), trx)
  inputs.forEach((input, index) => {
    if (!canVote(poll, register?.weights.get(input.user.id) !== undefined)) {
      results[index] = { ok: false, error: permissionDenied('vote.add') }
      return
    }
    let voteData = ''
    if (!input.abstain) {
      const problems = validateVote(method, settings, candidates, input.vote)
      if (problems.length > 0) {
        results[index] = {
          ok: false,
          error: new DomainError('vote.invalid', problems.join('; '), {
            field: 'vote',
            meta: { problems },
          }),
        }
        return
      }
      voteData = voteString(method, input.vote as object)
    }
    const receipt = newReceiptCode()
    accepted.push({
      index,
      input,
      receipt,
      row: {
        organisation_id: poll.organisationId,
        poll_id: poll.id,
        voter_ref: (voterRef ??= voterRefs(poll))(input.user.id),
        user_id: poll.secret ? null : input.user.id,
        abstain: !!input.abstain,
        vote_data: voteData,
        receipt_hash: receiptHash(receipt),
        rev: 1,
        created_at: now,
        updated_at: now,
      },
    })
  })
  if (accepted.length === 0) return results

  // One upsert for the batch. Rows in voter_ref order, so two instances lock them in the same
  // order; a new row comes back with rev 1, a replaced one with its old rev + 1.
  const rows = [...accepted]
    .sort((a, b) => String(a.row.voter_ref).localeCompare(String(b.row.voter_ref)))
    .map((entry) => entry.row)
  const stored: Array<Record<string, unknown>> = await trx
    .knexQuery()
    .table(Vote.table)
    .insert(rows)
    .onConflict(['poll_id', 'voter_ref'])
    .merge({
      abstain: trx.knexRawQuery('excluded.abstain'),
      vote_data: trx.knexRawQuery('excluded.vote_data'),
      receipt_hash: trx.knexRawQuery('excluded.receipt_hash'),
      updated_at: trx.knexRawQuery('excluded.updated_at'),
      rev: trx.knexRawQuery('??.?? + 1', [Vote.table, 'rev']),
    })
    .returning('*')
  const byVoterRef = new Map(stored.map((row) => [String(row.voter_ref), row]))

  const participations = []
  const audits: AuditRecordOf[] = []
  const messages = []
  for (const { index, input, receipt, row } of accepted) {
    const vote = Vote.$createFromAdapterResult(byVoterRef.get(String(row.voter_ref)))!
    const created = vote.rev === 1
    if (created)
      participations.push({
        organisation_id: poll.organisationId,
        poll_id: poll.id,
        user_id: input.user.id,
        created_at: now,
      })
    // The audit entry never carries the content (domain §19.1: vote_data and abstain masked).
    audits.push({
      actor: input.actor,
      record: {
        organisationId: poll.organisationId,
        meetingId: poll.meetingId,
        agendaItemId: poll.agendaItemId,
        action: created ? 'create' : 'update',
        event: created ? 'vote.cast' : 'vote.changed',
        model: 'Vote',
        objectId: poll.secret ? null : vote.id,
        changes: { vote_data: ['*', '*'], abstain: ['*', '*'] },
      },
    })
    messages.push({
      channel: channels.user(input.user.id),
      type: 'vote.changed',
      data: votePayloadOf(vote, poll),
      rid: input.actor.requestId ?? null,
    })
    results[index] = { ok: true, value: { vote, poll, created, receipt } }
  }
  if (participations.length > 0) {
    await trx
      .knexQuery()
      .table(PollParticipation.table)
      .insert(participations)
      .onConflict(['poll_id', 'user_id'])
      .ignore()
  }
  await recordAudits(trx, audits)
  publishAfterCommit(trx, messages)
  if (participations.length > 0) announceTurnoutAfterCommit(trx, poll)
  return results
}

async function candidatesOf(trx: TransactionClientContract, poll: Poll) {
  const key = `${poll.id}:${poll.rev}`
  let candidates = candidatesCache.get(key)
  if (!candidates) {
    candidates = await pollProposalIds(trx, poll)
    if (candidatesCache.size > 500) candidatesCache.delete(candidatesCache.keys().next().value!)
    candidatesCache.set(key, candidates)
  }
  return candidates
}

/** Withdrawing one's own vote while the poll is ongoing (domain §10.2). */
export class WithdrawVote {
  async execute(input: { organisationId: number; voteId: number; user: User; actor: Actor }) {
    await db.transaction(async (trx) => {
      const found = await Vote.forOrganisation(input.organisationId)
        .where('id', input.voteId)
        .useTransaction(trx)
        .first()
      if (!found) throw notFound('No such vote')
      await lockPollForVote(trx, found.pollId)
      const poll = await Poll.forOrganisation(input.organisationId)
        .where('id', found.pollId)
        .useTransaction(trx)
        .first()
      const mine =
        !!poll &&
        (!poll.secret || !!poll.voterKeySalt) &&
        voterRefs(poll)(input.user.id) === found.voterRef
      if (!poll || !mine) {
        // Only the owner may see or withdraw a vote: anybody else gets a 404.
        throw notFound('No such vote')
      }
      if (poll.state !== 'ongoing') throw permissionDenied('vote.delete')
      const vote = await Vote.forOrganisation(poll.organisationId)
        .where('id', found.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      await vote.useTransaction(trx).delete()
      await PollParticipation.forOrganisation(poll.organisationId)
        .where('poll_id', poll.id)
        .where('user_id', input.user.id)
        .useTransaction(trx)
        .delete()
      await recordAudit(trx, input.actor, {
        organisationId: poll.organisationId,
        meetingId: poll.meetingId,
        agendaItemId: poll.agendaItemId,
        action: 'delete',
        event: 'vote.withdrawn',
        model: 'Vote',
        objectId: poll.secret ? null : vote.id,
        changes: { vote_data: ['*', null], abstain: ['*', null] },
      })
      publishAfterCommit(trx, [
        {
          channel: channels.user(input.user.id),
          type: 'vote.deleted',
          data: { id: vote.id, poll: poll.id, meeting: poll.meetingId },
        },
      ])
      announceTurnoutAfterCommit(trx, poll)
    })
  }
}
