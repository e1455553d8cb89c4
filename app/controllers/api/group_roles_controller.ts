import type { HttpContext } from '@adonisjs/core/http'
import { commaQuery } from '#validators/meetings'
import GroupRole from '#models/group_role'
import Meeting from '#models/meeting'
import { notFound } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingFromField } from '#services/meeting_lookup'
import { groupRolePayload } from '#transformers/group_transformer'
import {
  createGroupRoleValidator,
  meetingScopeValidator,
  updateGroupRoleValidator,
} from '#validators/groups'
import {
  CreateGroupRole,
  DeleteGroupRole,
  UpdateGroupRole,
} from '#actions/groups/change_group_role'

/** Group roles (api.md §6.6). List: participants; writes: moderators, meeting not archived. */
export default class GroupRolesController {
  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(meetingScopeValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const meeting = await meetingFromField(ctx, meetingId)
    await ctx.bouncer.with(MeetingPolicy).authorize('viewGroups', meeting)
    const roles = await GroupRole.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    return { data: roles.map(groupRolePayload) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createGroupRoleValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const role = await new CreateGroupRole().execute({
      meeting,
      title: input.title,
      roleId: input.role_id,
      roles: input.roles,
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return groupRolePayload(role)
  }

  async update(ctx: HttpContext) {
    const { role, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const input = await ctx.request.validateUsing(updateGroupRoleValidator)
    const updated = await new UpdateGroupRole().execute({
      meeting,
      role,
      changes: { title: input.title, roleId: input.role_id, roles: input.roles },
      actor: requestActor(ctx),
    })
    return groupRolePayload(updated)
  }

  async destroy(ctx: HttpContext) {
    const { role, meeting } = await this.load(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    await new DeleteGroupRole().execute({ meeting, role, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  private async load(ctx: HttpContext) {
    const role = await GroupRole.findInOrganisation(ctx.organisation.id, ctx.params.id)
    const meeting = role
      ? await Meeting.findInOrganisation(ctx.organisation.id, role.meetingId)
      : null
    if (!role || !meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting)))
      throw notFound('No such group role')
    return { role, meeting }
  }
}
