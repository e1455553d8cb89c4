import type { HttpContext } from '@adonisjs/core/http'
import Poll from '#models/poll'
import Vote from '#models/vote'
import Meeting from '#models/meeting'
import { fieldError } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { voterRefs } from '#services/poll_secrecy'
import { votePayloadOf } from '#transformers/poll_transformer'
import { castVoteValidator, listVotesValidator } from '#validators/polls'
import CastVote, { WithdrawVote } from '#actions/polls/cast_vote'
import { visiblePoll } from '#controllers/api/polls_controller'

/** Votes (api.md §6.13, §11.2): a voter only ever sees their own. */
export default class VotesController {
  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(castVoteValidator)
    // Fast path: a voter in the register of an ongoing poll can see it. Any refusal checks
    // visibility first, so a poll the caller cannot see is a 422 on `poll` (it names a body field).
    let outcome
    try {
      outcome = await new CastVote().execute({
        organisationId: ctx.organisation.id,
        pollId: input.poll,
        user: ctx.currentUser!,
        vote: input.vote,
        abstain: input.abstain,
        actor: requestActor(ctx),
      })
    } catch (error) {
      await visiblePoll(ctx, input.poll).catch(() => {
        throw fieldError('poll', 'No such poll', 'exists')
      })
      throw error
    }
    const { vote, poll, created, receipt } = outcome
    ctx.response.status(created ? 201 : 200)
    return { ...votePayloadOf(vote, poll), receipt }
  }

  async index(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(listVotesValidator, { data: ctx.request.qs() })
    const user = ctx.currentUser!
    let polls: Poll[]
    if (input.poll) {
      const poll = await Poll.findInOrganisation(ctx.organisation.id, input.poll)
      polls = poll ? [poll] : []
    } else {
      const meeting = await Meeting.findInOrganisation(ctx.organisation.id, input.meeting!)
      if (!meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting)))
        throw fieldError('meeting', 'No such meeting', 'exists')
      polls = await Poll.forOrganisation(ctx.organisation.id).where('meeting_id', meeting.id)
    }
    const data = []
    for (const poll of polls) {
      // After a secret poll closed, its ballots are no longer linkable, not even to their owner.
      if (poll.secret && !poll.voterKeySalt) continue
      const vote = await Vote.forOrganisation(ctx.organisation.id)
        .where('poll_id', poll.id)
        .where('voter_ref', voterRefs(poll)(user.id))
        .first()
      if (vote) data.push(votePayloadOf(vote, poll))
    }
    return { data }
  }

  async destroy(ctx: HttpContext) {
    await new WithdrawVote().execute({
      organisationId: ctx.organisation.id,
      voteId: Number(ctx.params.id),
      user: ctx.currentUser!,
      actor: requestActor(ctx),
    })
    return ctx.response.noContent()
  }
}
