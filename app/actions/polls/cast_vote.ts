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
import { recordAudit, type Actor } from '#services/audit_log'
import { cachedRegister, lockPollForVote, pollProposalIds, pollTurnout } from '#services/polls'
import { newReceiptCode, receiptHash, voterRefs } from '#services/poll_secrecy'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { schedulePollStatus } from '#realtime/poll_status'
import { votePayloadOf } from '#transformers/poll_transformer'

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

function isUniqueViolation(error: unknown) {
  const e = error as { code?: string; message?: string }
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  )
}

/**
 * Casting a vote (domain §10.2): an upsert on (poll, voter). The poll is
 * held with a shared advisory lock, so a close (exclusive) waits for votes in
 * flight and no vote is stored after the poll left `ongoing`. Unique
 * (poll_id, voter_ref) makes a second row impossible; a racing first cast
 * retries as a replacement. The vote is committed before the answer goes out,
 * so an acknowledged vote is never lost.
 */
export default class CastVote {
  async execute(
    input: CastVoteInput
  ): Promise<{ vote: Vote; poll: Poll; created: boolean; receipt: string }> {
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
    for (let attempt = 0; ; attempt++) {
      try {
        return await db.transaction((trx) => this.castIn(trx, input))
      } catch (error) {
        if (attempt < 3 && isUniqueViolation(error)) continue
        throw error
      }
    }
  }

  private async castIn(trx: TransactionClientContract, input: CastVoteInput) {
    await lockPollForVote(trx, input.pollId)
    const poll = await Poll.forOrganisation(input.organisationId)
      .where('id', input.pollId)
      .useTransaction(trx)
      .first()
    if (!poll) throw notFound('No such poll')
    const register = poll.electoralRegisterId
      ? await cachedRegister(trx, poll.organisationId, poll.electoralRegisterId)
      : null
    const weight = register?.weights.get(input.user.id)
    if (!canVote(poll, weight !== undefined)) {
      throw permissionDenied('vote.add')
    }
    const method = poll.methodName as MethodId
    let voteData = ''
    if (!input.abstain) {
      const key = `${poll.id}:${poll.rev}`
      let candidates = candidatesCache.get(key)
      if (!candidates) {
        candidates = await pollProposalIds(trx, poll)
        if (candidatesCache.size > 500) candidatesCache.delete(candidatesCache.keys().next().value!)
        candidatesCache.set(key, candidates)
      }
      const settings = normalizeSettings(method, poll.settings ?? null)
      const problems = validateVote(method, settings, candidates, input.vote)
      if (problems.length > 0) {
        throw new DomainError('vote.invalid', problems.join('; '), {
          field: 'vote',
          meta: { problems },
        })
      }
      voteData = voteString(method, input.vote as object)
    }
    const voterRef = voterRefs(poll)(input.user.id)
    const receipt = newReceiptCode()
    // A replacement updates the existing row (same id); a racing first cast hits the unique
    // constraint, the transaction is retried and finds the row (execute()).
    const hash = receiptHash(receipt)
    const existing = await Vote.forOrganisation(poll.organisationId)
      .where('poll_id', poll.id)
      .where('voter_ref', voterRef)
      .useTransaction(trx)
      .forUpdate()
      .first()
    let vote: Vote
    const created = !existing
    if (existing) {
      existing.abstain = !!input.abstain
      existing.voteData = voteData
      existing.receiptHash = hash
      existing.rev += 1
      existing.updatedAt = DateTime.utc()
      vote = await existing.useTransaction(trx).save()
    } else {
      vote = await Vote.create(
        {
          organisationId: poll.organisationId,
          pollId: poll.id,
          voterRef,
          userId: poll.secret ? null : input.user.id,
          abstain: !!input.abstain,
          voteData,
          receiptHash: hash,
          rev: 1,
        },
        { client: trx }
      )
      await PollParticipation.create(
        { organisationId: poll.organisationId, pollId: poll.id, userId: input.user.id },
        { client: trx }
      )
    }
    // The audit entry never carries the content (domain §19.1: vote_data and abstain masked).
    await recordAudit(trx, input.actor, {
      organisationId: poll.organisationId,
      meetingId: poll.meetingId,
      agendaItemId: poll.agendaItemId,
      action: created ? 'create' : 'update',
      event: created ? 'vote.cast' : 'vote.changed',
      model: 'Vote',
      objectId: poll.secret ? null : vote.id,
      changes: { vote_data: ['*', '*'], abstain: ['*', '*'] },
    })
    publishAfterCommit(trx, [
      {
        channel: channels.user(input.user.id),
        type: 'vote.changed',
        data: votePayloadOf(vote, poll),
        rid: input.actor.requestId ?? null,
      },
    ])
    if (created) {
      trx.after('commit', async () => {
        void schedulePollStatus(poll.meetingId, poll.id, async () => ({
          id: poll.id,
          meeting: poll.meetingId,
          ...(await pollTurnout(poll)),
        })).catch(() => undefined)
      })
    }
    return { vote, poll, created, receipt }
  }
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
      trx.after('commit', async () => {
        void schedulePollStatus(poll.meetingId, poll.id, async () => ({
          id: poll.id,
          meeting: poll.meetingId,
          ...(await pollTurnout(poll)),
        })).catch(() => undefined)
      })
    })
  }
}
