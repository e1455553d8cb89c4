import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import Poll from '#models/poll'
import Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import PollBallot from '#models/poll_ballot'
import Proposal from '#models/proposal'
import Vote from '#models/vote'
import { fieldError, notFound } from '#domain/errors'
import { describeEvents } from '#domain/state_machines/machine'
import { pollMachine } from '#domain/polls/state_machine'
import { normalizeSettings, pollMethods, type MethodId } from '#domain/polls/counting/index'
import { describeBallot } from '#domain/polls/ballot_description'
import { canVote } from '#domain/permissions/polls'
import { htmlToText } from '#domain/rich_text/content'
import PollPolicy from '#policies/poll_policy'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingActor } from '#services/meeting_facts'
import {
  cachedRegister,
  isPollMethod,
  pollMachineFacts,
  pollProposalIds,
  pollTurnout,
  votePayload,
} from '#services/polls'
import { voterRefs } from '#services/poll_secrecy'
import { buildResultBundle, pollReceiptHashes } from '#services/result_bundles'
import { pollPayload, resultVisible } from '#transformers/poll_transformer'
import {
  createPollValidator,
  listPollsValidator,
  pollEventValidator,
  updatePollValidator,
} from '#validators/polls'
import { CreatePoll, DeletePoll, UpdatePoll, type PollFields } from '#actions/polls/save_poll'
import TransitionPoll, { pollCan } from '#actions/polls/transition_poll'
import { DateTime } from 'luxon'

/** Loads a poll the caller may view, visibility first (404), with meeting and item. */
export async function visiblePoll(ctx: HttpContext, id: number | string) {
  const poll = await Poll.findInOrganisation(ctx.organisation.id, id)
  if (!poll) throw notFound('No such poll')
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, poll.meetingId)
  const item = poll.agendaItemId
    ? await AgendaItem.findInOrganisation(ctx.organisation.id, poll.agendaItemId)
    : null
  if (!meeting || (await ctx.bouncer.with(PollPolicy).denies('view', poll, meeting, item)))
    throw notFound('No such poll')
  return { poll, meeting, item }
}

async function present(ctx: HttpContext, poll: Poll, meeting: Meeting) {
  const moderator = await ctx.bouncer.with(PollPolicy).allows('moderate', meeting)
  return pollPayload(poll, await pollProposalIds(db.connection(), poll), await pollTurnout(poll), {
    moderator,
  })
}

function fieldsOf(input: Record<string, any>): PollFields {
  return {
    title: input.title,
    body: input.body,
    methodName: input.method_name,
    settings: input.settings,
    proposals: input.proposals,
    pOrd: input.p_ord,
    withheldResult: input.withheld_result,
    closeAt:
      input.close_at === undefined
        ? undefined
        : input.close_at === null
          ? null
          : DateTime.fromJSDate(input.close_at).toUTC(),
    secret: input.secret,
    receiptMode: input.receipt_mode,
    quorum: input.quorum,
    majority: input.majority,
  }
}

/** Polls (api.md §6.13, §11). */
export default class PollsController {
  async methods() {
    const data = Object.values(pollMethods)
      .filter((method) => isPollMethod(method.id))
      .map((method) => ({
        name: method.id,
        title: method.title,
        historic: false,
        discouraged: method.discouraged,
        settings_schema: method.settings,
        vote_schema: method.payload,
        defaults: method.defaults,
      }))
    return { data }
  }

  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listPollsValidator, { data: ctx.request.qs() })
    let meeting: Meeting | null
    let itemId: number | undefined
    if (filters.agenda_item) {
      const item = await AgendaItem.findInOrganisation(ctx.organisation.id, filters.agenda_item)
      if (!item) throw fieldError('agenda_item', 'No such agenda item', 'exists')
      meeting = await Meeting.findInOrganisation(ctx.organisation.id, item.meetingId)
      itemId = item.id
    } else {
      meeting = await Meeting.findInOrganisation(ctx.organisation.id, filters.meeting!)
    }
    if (!meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting)))
      throw fieldError('meeting', 'No such meeting', 'exists')
    const query = Poll.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    if (itemId) query.where('agenda_item_id', itemId)
    if (filters.state) query.where('state', filters.state)
    const polls = await query
    const items = new Map(
      (await AgendaItem.forOrganisation(ctx.organisation.id).where('meeting_id', meeting.id)).map(
        (item) => [item.id, item]
      )
    )
    const data = []
    for (const poll of polls) {
      const item = poll.agendaItemId ? (items.get(poll.agendaItemId) ?? null) : null
      if (await ctx.bouncer.with(PollPolicy).denies('view', poll, meeting, item)) continue
      data.push(await present(ctx, poll, meeting))
    }
    return { data }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createPollValidator)
    const item = await AgendaItem.findInOrganisation(ctx.organisation.id, input.agenda_item)
    if (!item) throw fieldError('agenda_item', 'No such agenda item', 'exists')
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, item.meetingId)
    if (!meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting)))
      throw fieldError('agenda_item', 'No such agenda item', 'exists')
    await ctx.bouncer.with(PollPolicy).authorize('add', meeting, item)
    const poll = await new CreatePoll().execute({
      meeting,
      item,
      fields: {
        ...fieldsOf(input),
        title: input.title,
        methodName: input.method_name,
        proposals: input.proposals,
      },
      start: input.start,
      user: ctx.currentUser,
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return present(ctx, poll, meeting)
  }

  async show(ctx: HttpContext) {
    const { poll, meeting } = await visiblePoll(ctx, ctx.params.id)
    return present(ctx, poll, meeting)
  }

  async update(ctx: HttpContext) {
    const { poll, meeting, item } = await visiblePoll(ctx, ctx.params.id)
    await ctx.bouncer.with(PollPolicy).authorize('change', poll, meeting, item)
    const input = await ctx.request.validateUsing(updatePollValidator)
    const updated = await new UpdatePoll().execute({
      poll,
      fields: fieldsOf(input),
      actor: requestActor(ctx),
    })
    return present(ctx, updated, meeting)
  }

  async destroy(ctx: HttpContext) {
    const { poll, meeting, item } = await visiblePoll(ctx, ctx.params.id)
    await ctx.bouncer.with(PollPolicy).authorize('delete', poll, meeting, item)
    await new DeletePoll().execute({ poll, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  async events(ctx: HttpContext) {
    const { poll, meeting, item } = await visiblePoll(ctx, ctx.params.id)
    return this.eventStatus(ctx, poll, meeting, item)
  }

  async fire(ctx: HttpContext) {
    const { poll, meeting } = await visiblePoll(ctx, ctx.params.id)
    const { event, reason } = await ctx.request.validateUsing(pollEventValidator)
    const changed = await new TransitionPoll().execute({
      poll,
      event,
      reason,
      user: ctx.currentUser,
      actor: requestActor(ctx),
    })
    const fresh = await visiblePoll(ctx, changed.id)
    return {
      ...(await this.eventStatus(ctx, fresh.poll, fresh.meeting, fresh.item)),
      object: await present(ctx, fresh.poll, meeting),
    }
  }

  /** Live turnout (domain §10.1): by head and by weight. */
  async status(ctx: HttpContext) {
    const { poll } = await visiblePoll(ctx, ctx.params.id)
    return { id: poll.id, meeting: poll.meetingId, state: poll.state, ...(await pollTurnout(poll)) }
  }

  /**
   * Counted ballots in random order (api.md §11.2), after close. `content`
   * mode: each row with its receipt hash. `inclusion` mode (B-NEW-02): rows
   * without hashes, and the poll's receipt hashes sorted beside them.
   */
  async ballots(ctx: HttpContext) {
    const { poll, meeting } = await visiblePoll(ctx, ctx.params.id)
    const moderator = await ctx.bouncer.with(PollPolicy).allows('moderate', meeting)
    if (!resultVisible(poll, moderator)) throw notFound('The ballots are published with the result')
    const rows = await PollBallot.forOrganisation(ctx.organisation.id)
      .where('poll_id', poll.id)
      .orderBy('position')
    if (poll.receiptMode === 'inclusion') {
      return {
        receipt_mode: poll.receiptMode,
        data: rows.map((row) => ({
          vote_data: row.abstain ? null : row.voteData,
          weight: row.weight,
        })),
        receipt_hashes: await pollReceiptHashes(poll),
      }
    }
    return {
      receipt_mode: poll.receiptMode,
      data: rows.map((row) => ({
        receipt_hash: row.receiptHash,
        vote_data: row.abstain ? null : row.voteData,
        weight: row.weight,
      })),
    }
  }

  /**
   * Accessible ballot description (beyond.md B-NEW-05), for whoever sees the
   * poll. The current choice is the caller's own vote only, and only while it
   * is linkable: after a secret poll closed there is none, by design.
   */
  async ballot(ctx: HttpContext) {
    const { poll } = await visiblePoll(ctx, ctx.params.id)
    const user = ctx.currentUser!
    const method = poll.methodName as MethodId
    const settings = normalizeSettings(method, poll.settings ?? null)
    const ids = await pollProposalIds(db.connection(), poll)
    const proposals = new Map(
      (await Proposal.forOrganisation(ctx.organisation.id).whereIn('id', ids)).map((p) => [p.id, p])
    )
    const register = poll.electoralRegisterId
      ? await cachedRegister(db.connection(), poll.organisationId, poll.electoralRegisterId)
      : null
    const vote =
      poll.secret && !poll.voterKeySalt
        ? null
        : await Vote.forOrganisation(ctx.organisation.id)
            .where('poll_id', poll.id)
            .where('voter_ref', voterRefs(poll)(user.id))
            .first()
    return describeBallot({
      poll: {
        id: poll.id,
        title: poll.title,
        description: htmlToText(poll.body ?? ''),
        state: poll.state,
        secret: poll.secret,
      },
      method,
      methodTitle: pollMethods[method].title,
      settings,
      order: poll.pOrd,
      seed: `${poll.id}:${user.id}`,
      options: ids.flatMap((id) => {
        const proposal = proposals.get(id)
        if (!proposal) return []
        // The full text: the title is a truncated excerpt (D19).
        const label = htmlToText(proposal.body) || proposal.title
        return [{ id, prop_id: proposal.propId, label, title: proposal.title }]
      }),
      current: vote
        ? {
            id: vote.id,
            rev: vote.rev,
            abstain: vote.abstain,
            vote: votePayload(poll.methodName, vote.voteData, vote.abstain),
          }
        : null,
      canVote: canVote(poll, register?.weights.get(user.id) !== undefined),
    })
  }

  /** The signed result bundle (B-NEW-01), while the result is visible. */
  async bundle(ctx: HttpContext) {
    const { poll, meeting } = await visiblePoll(ctx, ctx.params.id)
    const moderator = await ctx.bouncer.with(PollPolicy).allows('moderate', meeting)
    if (!resultVisible(poll, moderator) || !poll.countDocument)
      throw notFound('The poll has no published result')
    const bundle = await buildResultBundle(poll, ctx.request.host()?.split(':')[0] ?? null)
    ctx.response.header('content-disposition', `attachment; filename="poll-${poll.id}-bundle.json"`)
    return bundle
  }

  private async eventStatus(
    ctx: HttpContext,
    poll: Poll,
    meeting: Meeting,
    item: AgendaItem | null
  ) {
    const facts = await pollMachineFacts(db.connection(), poll, meeting, item)
    const actor = await meetingActor(ctx.currentUser, meeting)
    return {
      state: poll.state,
      events: describeEvents(
        pollMachine,
        poll.state,
        facts,
        pollCan(actor, { poll, meeting, item })
      ),
    }
  }
}
