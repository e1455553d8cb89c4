import type { HttpContext } from '@adonisjs/core/http'
import { commaQuery } from '#validators/meetings'
import MeetingGroup from '#models/meeting_group'
import Meeting from '#models/meeting'
import { notFound } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingFromField } from '#services/meeting_lookup'
import { requestLockKey, withRequestLock } from '#services/request_lock'
import { groupPayload, membershipPayload } from '#transformers/group_transformer'
import {
  bulkCreateGroupsValidator,
  bulkDeleteGroupsValidator,
  createGroupValidator,
  meetingScopeValidator,
  sfsDelegationVotersValidator,
  updateGroupValidator,
} from '#validators/groups'
import {
  BulkCreateGroups,
  BulkDeleteGroups,
  CreateGroup,
  DeleteGroup,
  UpdateGroup,
} from '#actions/groups/change_group'
import { SetSfsDelegationVoters } from '#actions/groups/set_sfs_delegation_voters'

/** Meeting groups (api.md §6.6). View: participants; writes: moderators, meeting not archived. */
export default class MeetingGroupsController {
  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(meetingScopeValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const meeting = await meetingFromField(ctx, meetingId)
    await ctx.bouncer.with(MeetingPolicy).authorize('viewGroups', meeting)
    const groups = await MeetingGroup.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('title')
      .orderBy('id')
    return { data: groups.map(groupPayload) }
  }

  async show(ctx: HttpContext) {
    const { group, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('viewGroups', meeting)
    return groupPayload(group)
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createGroupValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const group = await new CreateGroup().execute({
      meeting,
      fields: {
        title: input.title,
        groupid: input.groupid,
        body: input.body,
        tags: input.tags,
        votes: input.votes,
        postAs: input.post_as,
        showOnSpeaker: input.show_on_speaker,
        delegateTo: input.delegate_to,
      },
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return groupPayload(group)
  }

  async update(ctx: HttpContext) {
    const { group, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const input = await ctx.request.validateUsing(updateGroupValidator)
    const updated = await new UpdateGroup().execute({
      meeting,
      group,
      fields: {
        title: input.title,
        body: input.body,
        tags: input.tags,
        votes: input.votes,
        postAs: input.post_as,
        showOnSpeaker: input.show_on_speaker,
        delegateTo: input.delegate_to,
      },
      actor: requestActor(ctx),
    })
    return groupPayload(updated)
  }

  async destroy(ctx: HttpContext) {
    const { group, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    await new DeleteGroup().execute({ meeting, group, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  async bulkCreate(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(bulkCreateGroupsValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    BulkCreateGroups.parse(input.groups)
    // A heavy operation (domain §4.5): one at a time per caller, then a short cool-down.
    const created = await withRequestLock(requestLockKey(ctx), () =>
      new BulkCreateGroups().execute({ meeting, text: input.groups, actor: requestActor(ctx) })
    )
    return { created: created.length, data: created.map(groupPayload) }
  }

  async bulkDelete(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(bulkDeleteGroupsValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    return new BulkDeleteGroups().execute({
      meeting,
      groupIds: input.groups,
      actor: requestActor(ctx),
    })
  }

  /** POST /api/meeting-groups/{id}/sfs-delegation-voters (domain §11.6): leader of the group or moderator. */
  async sfsDelegationVoters(ctx: HttpContext) {
    const { group, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('setSfsDelegationVoters', meeting, group)
    const input = await ctx.request.validateUsing(sfsDelegationVotersValidator)
    const memberships = await new SetSfsDelegationVoters().execute({
      meeting,
      group,
      weights: input.weights,
      actor: requestActor(ctx),
    })
    return { data: memberships.map(membershipPayload) }
  }

  /** Visibility first: a group of a meeting the caller cannot see is a 404. */
  private async load(ctx: HttpContext) {
    const group = await MeetingGroup.findInOrganisation(ctx.organisation.id, ctx.params.id)
    const meeting = group
      ? await Meeting.findInOrganisation(ctx.organisation.id, group.meetingId)
      : null
    if (!group || !meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting)))
      throw notFound('No such group')
    return { group, meeting }
  }
}
