import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import GroupRole from '#models/group_role'
import User from '#models/user'
import { fieldError, notFound } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { staffMeeting } from '#services/admin_meetings'
import { CreateGroup, DeleteGroup, UpdateGroup } from '#actions/groups/change_group'
import { CreateMembership, DeleteMembership } from '#actions/groups/change_membership'
import { SetSfsDelegationVoters } from '#actions/groups/set_sfs_delegation_voters'
import MeetingRole from '#models/meeting_role'
import { SFS_POLICY } from '#domain/electoral_register/sfs_delegation'

const groupValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100),
  groupid: vine.string().trim().maxLength(60).optional(),
  votes: vine.number().withoutDecimals().min(0).optional(),
  body: vine.string().trim().maxLength(20000).optional(),
})
/** Blank weights are left out (those members get no votes); the action checks the rest. */
const sfsWeightsValidator = vine.create({
  weights: vine
    .array(
      vine.object({
        user: vine.number().withoutDecimals().min(1),
        weight: vine.number().withoutDecimals().min(1).optional(),
      })
    )
    .maxLength(1000),
})
const memberValidator = vine.create({
  user: vine.string().trim().minLength(1).maxLength(200),
  group_role: vine.number().withoutDecimals().min(1).optional(),
})

/**
 * Groups of a meeting (issue 5 item 9): list, create, edit, delete and the
 * memberships of each group, through the group actions (domain §7.2, §3.6).
 */
export default class MeetingGroupsController {
  async index(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('moderate', meeting)
    const groups = await MeetingGroup.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('title')
    const memberships = await GroupMembership.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .select('meeting_group_id')
    const counts = new Map<number, number>()
    for (const row of memberships)
      counts.set(row.meetingGroupId, (counts.get(row.meetingGroupId) ?? 0) + 1)
    return ctx.view.render('pages/admin/meetings/groups', {
      meeting: { id: meeting.id, title: meeting.title, state: meeting.state },
      canManage: await ctx.bouncer.with(MeetingPolicy).allows('manageGroups', meeting),
      groups: groups.map((group) => ({
        id: group.id,
        title: group.title,
        groupid: group.groupid,
        votes: group.votes,
        members: counts.get(group.id) ?? 0,
      })),
    })
  }

  async store(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const input = await ctx.request.validateUsing(groupValidator)
    const group = await new CreateGroup().execute({
      meeting,
      fields: {
        title: input.title,
        groupid: input.groupid || undefined,
        votes: input.votes ?? null,
        body: input.body,
      },
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Group “${group.title}” created`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/groups/${group.id}`)
  }

  async show(ctx: HttpContext) {
    const { meeting, group } = await this.group(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('moderate', meeting)
    const memberships = await GroupMembership.forOrganisation(ctx.organisation.id)
      .where('meeting_group_id', group.id)
      .orderBy('id')
    const users = memberships.length
      ? await User.forOrganisation(ctx.organisation.id).whereIn(
          'id',
          memberships.map((m) => m.userId)
        )
      : []
    const roles = await GroupRole.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('title')
    const pvHolders = new Set(
      (
        await MeetingRole.forOrganisation(ctx.organisation.id)
          .where('meeting_id', meeting.id)
          .whereIn(
            'user_id',
            memberships.map((m) => m.userId)
          )
      )
        .filter((row) => row.assigned.includes('pv'))
        .map((row) => row.userId)
    )
    return ctx.view.render('pages/admin/meetings/group', {
      meeting: { id: meeting.id, title: meeting.title },
      canManage: await ctx.bouncer.with(MeetingPolicy).allows('manageGroups', meeting),
      // SFS delegation weights (domain §11.6): only under the group-votes policy, for groups with votes.
      sfsWeights:
        meeting.erPolicyName === SFS_POLICY &&
        !!group.votes &&
        (await ctx.bouncer.with(MeetingPolicy).allows('setSfsDelegationVoters', meeting, group)),
      group: {
        id: group.id,
        title: group.title,
        groupid: group.groupid,
        votes: group.votes ?? '',
        body: group.body ?? '',
      },
      members: memberships.map((membership) => {
        const user = users.find((candidate) => candidate.id === membership.userId)
        return {
          id: membership.id,
          userId: membership.userId,
          name: user?.fullName || user?.userid || `#${membership.userId}`,
          email: user?.email ?? null,
          role: roles.find((role) => role.id === membership.groupRoleId)?.title ?? null,
          votes: membership.votes,
          pv: pvHolders.has(membership.userId),
        }
      }),
      roles: roles.map((role) => ({ value: role.id, label: `${role.title} (${role.roleId})` })),
    })
  }

  async update(ctx: HttpContext) {
    const { meeting, group } = await this.group(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const input = await ctx.request.validateUsing(groupValidator)
    await new UpdateGroup().execute({
      meeting,
      group,
      fields: {
        // The groupid is fixed after creation (UpdateGroup never changes it).
        title: input.title,
        votes: input.votes ?? null,
        body: input.body ?? '',
      },
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Group saved')
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/groups/${group.id}`)
  }

  async destroy(ctx: HttpContext) {
    const { meeting, group } = await this.group(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    await new DeleteGroup().execute({ meeting, group, actor: requestActor(ctx, 'admin') })
    ctx.session.flash('success', `Group “${group.title}” deleted`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/groups`)
  }

  /** Adds an organisation user (email or user id) to the group, optionally with a group role. */
  async addMember(ctx: HttpContext) {
    const { meeting, group } = await this.group(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const input = await ctx.request.validateUsing(memberValidator)
    const key = input.user.toLowerCase()
    const user = await User.forOrganisation(ctx.organisation.id)
      .where((q) => q.whereRaw('lower(email) = ?', [key]).orWhereRaw('lower(userid) = ?', [key]))
      .first()
    if (!user) throw fieldError('user', 'No user with this email or user id', 'exists')
    await new CreateMembership().execute({
      meeting,
      group,
      userId: user.id,
      groupRoleId: input.group_role ?? null,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `${user.email ?? user.userid} added to “${group.title}”`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/groups/${group.id}`)
  }

  async removeMember(ctx: HttpContext) {
    const { meeting, group } = await this.group(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('manageGroups', meeting)
    const membership = await GroupMembership.findInOrganisation(
      ctx.organisation.id,
      ctx.params.membership
    )
    if (!membership || membership.meetingGroupId !== group.id) throw notFound('No such membership')
    await new DeleteMembership().execute({ meeting, membership, actor: requestActor(ctx, 'admin') })
    ctx.session.flash('success', 'Member removed')
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/groups/${group.id}`)
  }

  /** The SFS delegation weights of the group (domain §11.6): members without a weight get none. */
  async setWeights(ctx: HttpContext) {
    const { meeting, group } = await this.group(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('setSfsDelegationVoters', meeting, group)
    const input = await ctx.request.validateUsing(sfsWeightsValidator)
    const weights = input.weights
      .filter((row) => row.weight !== undefined)
      .map((row) => ({ user: row.user, weight: row.weight! }))
    await new SetSfsDelegationVoters().execute({
      meeting,
      group,
      weights,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Delegation weights saved')
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/groups/${group.id}`)
  }

  private async group(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    const group = await MeetingGroup.findInOrganisation(ctx.organisation.id, ctx.params.group)
    if (!group || group.meetingId !== meeting.id) throw notFound('No such group')
    return { meeting, group }
  }
}
