import type { HttpContext } from '@adonisjs/core/http'
import Proposal from '#models/proposal'
import ProposalVersion from '#models/proposal_version'
import { fieldError, notFound } from '#domain/errors'
import { proposalMachine } from '#domain/proposals/state_machine'
import { describeEvents } from '#domain/state_machines/machine'
import { isModerator } from '#domain/permissions/meeting'
import { renderDiff } from '#domain/proposals/diff'
import { htmlToText } from '#domain/rich_text/content'
import ProposalPolicy from '#policies/proposal_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { paginate } from '#services/queries'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  readableMeeting,
  viewableItem,
  viewableItemIds,
  viewableProposal,
  whereTagsAny,
} from '#services/content_lookup'
import { proposalPayload, proposalVersionPayload } from '#transformers/proposal_transformer'
import {
  createProposalValidator,
  eventValidator,
  listContentValidator,
  updateProposalValidator,
  versionDiffValidator,
} from '#validators/proposals'
import CreateProposal, { type CreateProposalInput } from '#actions/proposals/create_proposal'
import UpdateProposal from '#actions/proposals/update_proposal'
import DeleteProposal from '#actions/proposals/delete_proposal'
import TransitionProposal, {
  proposalCan,
  proposalFacts,
} from '#actions/proposals/transition_proposal'
import type AgendaItem from '#models/agenda_item'
import type Meeting from '#models/meeting'

/** Proposals and amendments (api.md §6.10) with versions, diffs and the generic event endpoint (§6.1). */
export default class ProposalsController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listContentValidator, {
      data: ctx.request.qs(),
    })
    const query = Proposal.forOrganisation(ctx.organisation.id)
    if (filters.agenda_item) {
      const { item } = await viewableItem(ctx, filters.agenda_item, 'agenda_item')
      if (filters.meeting && filters.meeting !== item.meetingId)
        throw fieldError('meeting', 'The agenda item is in another meeting', 'exists')
      query.where('agenda_item_id', item.id)
    } else {
      const meeting = await readableMeeting(ctx, filters.meeting!, 'meeting')
      query
        .where('meeting_id', meeting.id)
        .whereIn('agenda_item_id', await viewableItemIds(ctx, meeting))
    }
    if (filters.state) query.whereIn('state', filters.state.split(','))
    if (filters.tags) whereTagsAny(query, filters.tags)
    const page = await paginate(query.orderBy('created_at').orderBy('id'), filters)
    return { data: page.rows.map(proposalPayload), meta: page.meta }
  }

  async show(ctx: HttpContext) {
    const { proposal } = await viewableProposal(ctx, ctx.params.id)
    return proposalPayload(proposal)
  }

  /** POST /api/proposals/preview: the would-be object, nothing stored, no id reserved. */
  async preview(ctx: HttpContext) {
    const input = await this.createInput(ctx)
    const draft = await new CreateProposal().preview(input)
    return {
      meeting: input.meeting.id,
      agenda_item: input.item.id,
      prop_id: draft.propId,
      title: draft.title,
      body: draft.body,
      state: 'published',
      tags: draft.tags,
      mentions: draft.mentions,
      author: draft.authorId,
      meeting_group: draft.meetingGroupId,
      as_group: draft.asGroup,
      ...(draft.shortname === 'diff_proposal'
        ? { paragraph: draft.paragraphId, body_diff_brief: draft.bodyDiffBrief }
        : {}),
    }
  }

  async store(ctx: HttpContext) {
    const proposal = await new CreateProposal().execute(await this.createInput(ctx))
    return ctx.response.created(proposalPayload(proposal))
  }

  async update(ctx: HttpContext) {
    const { proposal, item, meeting } = await viewableProposal(ctx, ctx.params.id)
    await ctx.bouncer.with(ProposalPolicy).authorize('change', item, meeting)
    const input = await ctx.request.validateUsing(updateProposalValidator)
    const changed = await new UpdateProposal().execute({
      proposal,
      meeting,
      caller: ctx.currentUser!,
      changes: {
        body: input.body,
        tags: input.tags,
        author: input.author,
        meetingGroup: input.meeting_group,
        asGroup: input.as_group,
      },
      actor: requestActor(ctx),
    })
    return proposalPayload(changed)
  }

  async destroy(ctx: HttpContext) {
    const { proposal, item, meeting } = await viewableProposal(ctx, ctx.params.id)
    await ctx.bouncer.with(ProposalPolicy).authorize('delete', proposal, item, meeting)
    await new DeleteProposal().execute({ proposal, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  /** GET /api/proposals/{id}/versions (B-ADD-08): oldest first. */
  async versions(ctx: HttpContext) {
    const { proposal } = await viewableProposal(ctx, ctx.params.id)
    const versions = await ProposalVersion.forOrganisation(ctx.organisation.id)
      .where('proposal_id', proposal.id)
      .orderBy('version')
    return { data: versions.map(proposalVersionPayload) }
  }

  /** GET /api/proposals/{id}/diff?from=&to=: word-level HTML diff of two versions' text. */
  async diff(ctx: HttpContext) {
    const { proposal } = await viewableProposal(ctx, ctx.params.id)
    const query = await ctx.request.validateUsing(versionDiffValidator, { data: ctx.request.qs() })
    const versions = await ProposalVersion.forOrganisation(ctx.organisation.id)
      .where('proposal_id', proposal.id)
      .whereIn('version', [query.from, query.to])
    const from = versions.find((version) => version.version === query.from)
    const to = versions.find((version) => version.version === query.to)
    if (!from) throw fieldError('from', 'No such version', 'exists')
    if (!to) throw fieldError('to', 'No such version', 'exists')
    return {
      from: query.from,
      to: query.to,
      html: renderDiff(htmlToText(from.body), htmlToText(to.body), { brief: query.brief ?? false }),
    }
  }

  /** GET /api/proposals/{id}/event (api.md §6.1). */
  async events(ctx: HttpContext) {
    const { proposal, item, meeting } = await viewableProposal(ctx, ctx.params.id)
    return this.eventStatus(ctx, proposal, item, meeting)
  }

  /** POST /api/proposals/{id}/event: checks in the order of domain §5 (inside the machine). */
  async fire(ctx: HttpContext) {
    const { proposal, item, meeting } = await viewableProposal(ctx, ctx.params.id)
    const { event } = await ctx.request.validateUsing(eventValidator)
    const changed = await new TransitionProposal().execute({
      proposal,
      event,
      user: ctx.currentUser,
      actor: requestActor(ctx),
    })
    const status = await this.eventStatus(ctx, changed, item, meeting)
    return { ...status, object: proposalPayload(changed) }
  }

  private async eventStatus(
    ctx: HttpContext,
    proposal: Proposal,
    item: AgendaItem,
    meeting: Meeting
  ) {
    const facts = await proposalFacts(proposal, ctx.currentUser)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const events = describeEvents(
      proposalMachine,
      proposal.state,
      { lockedByActivePoll: facts.lockedByActivePoll, forced: false },
      proposalCan(actor, meeting, item, facts)
    )
    return { state: proposal.state, events }
  }

  /** Validation, visibility (422 on `agenda_item`), then `proposal.add` (403). */
  private async createInput(ctx: HttpContext): Promise<CreateProposalInput> {
    const input = await ctx.request.validateUsing(createProposalValidator)
    const { item, meeting } = await viewableItem(ctx, input.agenda_item, 'agenda_item')
    await ctx.bouncer.with(ProposalPolicy).authorize('add', item, meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    if (!ctx.currentUser) throw notFound()
    return {
      meeting,
      item,
      caller: ctx.currentUser,
      callerIsModerator: isModerator(actor, meetingFacts(meeting)),
      shortname: input.shortname,
      body: input.body,
      tags: input.tags,
      authorship: {
        author: input.author,
        meetingGroup: input.meeting_group,
        asGroup: input.as_group,
      },
      paragraph: input.paragraph,
      actor: requestActor(ctx),
    }
  }
}
