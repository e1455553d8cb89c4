import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import DiscussionPost from '#models/discussion_post'
import User from '#models/user'
import { notFound } from '#domain/errors'
import { proposalStates } from '#domain/proposals/state_machine'
import { htmlToText } from '#domain/rich_text/content'
import ProposalPolicy from '#policies/proposal_policy'
import DiscussionPostPolicy from '#policies/discussion_post_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { formatTimestamp } from '#services/admin_pages'
import BulkTransitionProposals from '#actions/proposals/bulk_transition_proposals'
import DiscussionPosts from '#actions/discussion/discussion_posts'

const bulkValidator = vine.create({
  proposals: vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(250),
  state: vine.enum(proposalStates),
})
const filterValidator = vine.create({
  agenda_item: vine.number().withoutDecimals().min(1).optional(),
  state: vine.enum(proposalStates).optional(),
})

const nameOf = (user: User | undefined) =>
  user
    ? [user.firstName, user.lastName].filter(Boolean).join(' ') || user.userid || `#${user.id}`
    : '—'

/**
 * Admin screens for proposals and discussion (moderators): per meeting, the
 * proposals with a bulk state change ("hide" = retracted, "lock" = voting,
 * approve/deny/…), the discussion posts with deletion, and the exports.
 * Same actions and policies as the API, audited with source `admin`.
 */
export default class ProposalsController {
  async index(ctx: HttpContext) {
    const roles = (
      await MeetingRole.forOrganisation(ctx.organisation.id).where('user_id', ctx.currentUser!.id)
    ).filter((role) => role.assigned.includes('mo'))
    const meetings = roles.length
      ? await Meeting.forOrganisation(ctx.organisation.id)
          .whereIn(
            'id',
            roles.map((role) => role.meetingId)
          )
          .orderBy('id', 'desc')
      : []
    const counts = new Map<number, number>()
    if (meetings.length) {
      const rows = await Proposal.forOrganisation(ctx.organisation.id)
        .whereIn(
          'meeting_id',
          meetings.map((meeting) => meeting.id)
        )
        .select('meeting_id')
      for (const row of rows) counts.set(row.meetingId, (counts.get(row.meetingId) ?? 0) + 1)
    }
    return ctx.view.render('pages/admin/proposals/index', {
      meetings: meetings.map((meeting) => ({
        id: meeting.id,
        title: meeting.title,
        state: meeting.state,
        proposals: counts.get(meeting.id) ?? 0,
      })),
    })
  }

  async show(ctx: HttpContext) {
    const meeting = await this.meeting(ctx)
    const filters = await ctx.request.validateUsing(filterValidator, { data: ctx.request.qs() })
    const items = await AgendaItem.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('order')
    const query = Proposal.forOrganisation(ctx.organisation.id).where('meeting_id', meeting.id)
    if (filters.agenda_item) query.where('agenda_item_id', filters.agenda_item)
    if (filters.state) query.where('state', filters.state)
    const proposals = await query.orderBy('created_at').orderBy('id').limit(500)
    const posts = await DiscussionPost.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .if(filters.agenda_item, (q) => q.where('agenda_item_id', filters.agenda_item!))
      .orderBy('created_at', 'desc')
      .limit(200)
    const userIds = [
      ...new Set(
        [...proposals, ...posts]
          .map((row) => row.authorId)
          .filter((id): id is number => id !== null)
      ),
    ]
    const users = new Map(
      (userIds.length
        ? await User.forOrganisation(ctx.organisation.id).whereIn('id', userIds)
        : []
      ).map((u) => [u.id, u])
    )
    const itemTitle = new Map(items.map((item) => [item.id, item.title]))
    return ctx.view.render('pages/admin/proposals/show', {
      meeting: { id: meeting.id, title: meeting.title, state: meeting.state },
      filters: { agenda_item: filters.agenda_item ?? '', state: filters.state ?? '' },
      items: items.map((item) => ({
        value: item.id,
        label: `${item.order}. ${item.title} (${item.state})`,
      })),
      states: proposalStates.map((state) => ({ value: state, label: state })),
      proposals: proposals.map((proposal) => ({
        id: proposal.id,
        propId: proposal.propId,
        shortname: proposal.shortname,
        title: proposal.title,
        state: proposal.state,
        agendaItem: itemTitle.get(proposal.agendaItemId) ?? proposal.agendaItemId,
        author: nameOf(users.get(proposal.authorId ?? 0)),
        created: formatTimestamp(proposal.createdAt),
      })),
      posts: posts.map((post) => ({
        id: post.id,
        text: htmlToText(post.body).slice(0, 200),
        tags: post.tags.join(', '),
        agendaItem: itemTitle.get(post.agendaItemId) ?? post.agendaItemId,
        author: nameOf(users.get(post.authorId ?? 0)),
        created: formatTimestamp(post.createdAt),
      })),
    })
  }

  /** POST …/bulk-state {proposals[], state}: transitions that are not available are skipped. */
  async bulkState(ctx: HttpContext) {
    const meeting = await this.meeting(ctx)
    const input = await ctx.request.validateUsing(bulkValidator)
    const { changed, skipped } = await new BulkTransitionProposals().execute({
      meeting,
      proposalIds: input.proposals,
      state: input.state,
      user: ctx.currentUser!,
      actor: requestActor(ctx, 'admin'),
    })
    const note = skipped.length
      ? ` Skipped (not possible from their state, or locked by a poll): ${skipped.join(', ')}.`
      : ''
    ctx.session.flash('success', `${changed} proposal(s) set to “${input.state}”.${note}`)
    return ctx.response.redirect().back()
  }

  async deletePost(ctx: HttpContext) {
    const post = await DiscussionPost.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!post) throw notFound('No such discussion post')
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, post.meetingId)
    if (!meeting) throw notFound('No such meeting')
    await ctx.bouncer.with(DiscussionPostPolicy).authorize('delete', post, meeting)
    await new DiscussionPosts().delete({ post, actor: requestActor(ctx, 'admin') })
    ctx.session.flash('success', 'The post was deleted.')
    return ctx.response.redirect().back()
  }

  /** The meeting of the path; moderators only (404 when it does not exist, 403 page otherwise). */
  private async meeting(ctx: HttpContext) {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!meeting) throw notFound('No such meeting')
    await ctx.bouncer.with(ProposalPolicy).authorize('moderate', meeting)
    return meeting
  }
}
