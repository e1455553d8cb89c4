import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import AccessPolicy from '#models/access_policy'
import { notFound } from '#domain/errors'
import AccessPolicyPolicy from '#policies/access_policy_policy'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { forgetActorFacts } from '#services/actor_facts'
import { meetingFromField, visibleMeeting } from '#services/meeting_lookup'
import {
  createAccessPolicyValidator,
  updateAccessPolicyValidator,
} from '#validators/access_policies'
import AccessPolicies, { accessPolicyPayload } from '#actions/access/access_policies'

/** Access policies (api.md §6.8). */
export default class AccessPoliciesController {
  /** Users who can view or preview the meeting. */
  async index(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    const policies = await AccessPolicy.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    return { id: meeting.id, policies: policies.map(accessPolicyPayload) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createAccessPolicyValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(AccessPolicyPolicy).authorize('manage', meeting)
    const policy = await new AccessPolicies().create(
      meeting,
      { rolesGiven: input.roles_given, active: input.active },
      requestActor(ctx)
    )
    ctx.response.status(201)
    return accessPolicyPayload(policy)
  }

  async update(ctx: HttpContext) {
    const { policy, meeting } = await this.visiblePolicy(ctx)
    await ctx.bouncer.with(AccessPolicyPolicy).authorize('manage', meeting)
    const input = await ctx.request.validateUsing(updateAccessPolicyValidator)
    const updated = await new AccessPolicies().update(
      policy,
      { rolesGiven: input.roles_given, active: input.active },
      requestActor(ctx)
    )
    return accessPolicyPayload(updated)
  }

  async destroy(ctx: HttpContext) {
    const { policy, meeting } = await this.visiblePolicy(ctx)
    await ctx.bouncer.with(AccessPolicyPolicy).authorize('manage', meeting)
    await new AccessPolicies().delete(policy, requestActor(ctx))
    return ctx.response.noContent()
  }

  /** Any authenticated user of the organisation (the link may have been shared with them). */
  async join(ctx: HttpContext) {
    const policy = await AccessPolicy.findInOrganisation(ctx.organisation.id, ctx.params.id)
    const meeting = policy
      ? await Meeting.findInOrganisation(ctx.organisation.id, policy.meetingId)
      : null
    if (!policy || !meeting) throw notFound('No such access policy')
    await ctx.bouncer.with(AccessPolicyPolicy).authorize('join', meeting)
    const result = await new AccessPolicies().join(
      policy,
      meeting,
      ctx.currentUser!,
      requestActor(ctx)
    )
    forgetActorFacts(ctx.currentUser!)
    return result
  }

  /** A policy is visible with its meeting (view or preview); otherwise 404. */
  private async visiblePolicy(ctx: HttpContext) {
    const policy = await AccessPolicy.findInOrganisation(ctx.organisation.id, ctx.params.id)
    const meeting = policy
      ? await Meeting.findInOrganisation(ctx.organisation.id, policy.meetingId)
      : null
    if (!policy || !meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting))) {
      throw notFound('No such access policy')
    }
    return { policy, meeting }
  }
}
