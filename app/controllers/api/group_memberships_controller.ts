import type { HttpContext } from '@adonisjs/core/http'
import { commaQuery } from '#validators/meetings'
import GroupMembership from '#models/group_membership'
import MeetingGroup from '#models/meeting_group'
import Meeting from '#models/meeting'
import { fieldError, notFound } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingFromField } from '#services/meeting_lookup'
import { membershipPayload } from '#transformers/group_transformer'
import {
  createMembershipValidator,
  listMembershipsValidator,
  updateMembershipValidator,
} from '#validators/groups'
import {
  CreateMembership,
  DeleteMembership,
  UpdateMembership,
} from '#actions/groups/change_membership'

/** Group memberships (api.md §6.6). */
export default class GroupMembershipsController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listMembershipsValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const meeting = await meetingFromField(ctx, filters.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('viewGroups', meeting)
    const query = GroupMembership.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    if (filters.meeting_group) query.where('meeting_group_id', filters.meeting_group)
    if (filters.user) query.where('user_id', filters.user)
    return { data: (await query).map(membershipPayload) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createMembershipValidator)
    const group = await MeetingGroup.findInOrganisation(ctx.organisation.id, input.meeting_group)
    if (!group) throw fieldError('meeting_group', 'No such group', 'exists')
    const meeting = await meetingFromField(ctx, group.meetingId, 'meeting_group')
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const membership = await new CreateMembership().execute({
      meeting,
      group,
      userId: input.user,
      groupRoleId: input.role,
      votes: input.votes,
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return membershipPayload(membership)
  }

  async update(ctx: HttpContext) {
    const { membership, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const input = await ctx.request.validateUsing(updateMembershipValidator)
    const updated = await new UpdateMembership().execute({
      meeting,
      membership,
      changes: { groupRoleId: input.role, votes: input.votes },
      actor: requestActor(ctx),
    })
    return membershipPayload(updated)
  }

  async destroy(ctx: HttpContext) {
    const { membership, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    await new DeleteMembership().execute({ meeting, membership, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  private async load(ctx: HttpContext) {
    const membership = await GroupMembership.findInOrganisation(ctx.organisation.id, ctx.params.id)
    const meeting = membership
      ? await Meeting.findInOrganisation(ctx.organisation.id, membership.meetingId)
      : null
    if (!membership || !meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting))) {
      throw notFound('No such membership')
    }
    return { membership, meeting }
  }
}
