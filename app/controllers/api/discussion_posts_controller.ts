import type { HttpContext } from '@adonisjs/core/http'
import DiscussionPost from '#models/discussion_post'
import { fieldError } from '#domain/errors'
import { isModerator } from '#domain/permissions/meeting'
import DiscussionPostPolicy from '#policies/discussion_post_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { paginate } from '#services/queries'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  readableMeeting,
  viewableItem,
  viewableItemIds,
  viewablePost,
  whereTagsAny,
} from '#services/content_lookup'
import { discussionPostPayload } from '#transformers/discussion_transformer'
import {
  createPostValidator,
  listContentValidator,
  updatePostValidator,
} from '#validators/proposals'
import DiscussionPosts from '#actions/discussion/discussion_posts'

/** Discussion posts (api.md §6.12, domain §14.1). */
export default class DiscussionPostsController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listContentValidator, {
      data: ctx.request.qs(),
    })
    const query = DiscussionPost.forOrganisation(ctx.organisation.id)
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
    if (filters.tags) whereTagsAny(query, filters.tags)
    const page = await paginate(query.orderBy('created_at').orderBy('id'), filters)
    return { data: page.rows.map(discussionPostPayload), meta: page.meta }
  }

  async show(ctx: HttpContext) {
    const { post } = await viewablePost(ctx, ctx.params.id)
    return discussionPostPayload(post)
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createPostValidator)
    const { item, meeting } = await viewableItem(ctx, input.agenda_item, 'agenda_item')
    await ctx.bouncer.with(DiscussionPostPolicy).authorize('add', item, meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const post = await new DiscussionPosts().create({
      meeting,
      item,
      caller: ctx.currentUser!,
      callerIsModerator: isModerator(actor, meetingFacts(meeting)),
      fields: {
        body: input.body,
        tags: input.tags,
        author: input.author,
        meetingGroup: input.meeting_group,
        asGroup: input.as_group,
      },
      actor: requestActor(ctx),
    })
    return ctx.response.created(discussionPostPayload(post))
  }

  async update(ctx: HttpContext) {
    const { post, meeting } = await viewablePost(ctx, ctx.params.id)
    await ctx.bouncer.with(DiscussionPostPolicy).authorize('change', meeting)
    const input = await ctx.request.validateUsing(updatePostValidator)
    const changed = await new DiscussionPosts().update({
      post,
      meeting,
      caller: ctx.currentUser!,
      fields: {
        body: input.body,
        tags: input.tags,
        author: input.author,
        meetingGroup: input.meeting_group,
        asGroup: input.as_group,
      },
      actor: requestActor(ctx),
    })
    return discussionPostPayload(changed)
  }

  async destroy(ctx: HttpContext) {
    const { post, meeting } = await viewablePost(ctx, ctx.params.id)
    await ctx.bouncer.with(DiscussionPostPolicy).authorize('delete', post, meeting)
    await new DiscussionPosts().delete({ post, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }
}
