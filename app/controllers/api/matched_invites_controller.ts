import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import MeetingInvite from '#models/meeting_invite'
import { notFound } from '#domain/errors'
import { maskUserData } from '#domain/invitations/identity'
import MeetingInvitePolicy from '#policies/meeting_invite_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { forgetActorFacts } from '#services/actor_facts'
import { tokenValidator } from '#validators/invitations'
import { vouchedIdentity } from '#services/vouched_identity'
import { matchedInvitesQuery } from '#actions/invitations/invite_effects'
import {
  AcceptInviteToken,
  RespondToInvite,
  inviteByToken,
} from '#actions/invitations/respond_to_invite'

/** The invited person's side (domain §16.4, api.md §6.11 and §11.5). */
export default class MatchedInvitesController {
  /** Open invites across the organisation's meetings matching the caller's vouched identity. */
  async index(ctx: HttpContext) {
    const invites = await matchedInvitesQuery(await vouchedIdentity(ctx.currentUser!)).orderBy('id')
    const meetings = invites.length
      ? await Meeting.forOrganisation(ctx.organisation.id).whereIn(
          'id',
          invites.map((invite) => invite.meetingId)
        )
      : []
    return {
      data: invites.map((invite) => ({
        id: invite.id,
        meeting: invite.meetingId,
        meeting_title: meetings.find((meeting) => meeting.id === invite.meetingId)?.title ?? null,
        roles: invite.roles,
        state: invite.state,
        user_data: maskUserData(invite.userData),
        organisation: invite.organisationId,
      })),
    }
  }

  async accept(ctx: HttpContext) {
    const invite = await this.matchingInvite(ctx)
    const result = await new RespondToInvite().accept(invite, ctx.currentUser!, requestActor(ctx))
    forgetActorFacts(ctx.currentUser!)
    return result
  }

  async reject(ctx: HttpContext) {
    const invite = await this.matchingInvite(ctx)
    await new RespondToInvite().reject(invite, ctx.currentUser!, requestActor(ctx))
    return ctx.response.noContent()
  }

  /** POST /api/invites/accept-token (api.md §11.5). */
  async acceptToken(ctx: HttpContext) {
    const { token } = await ctx.request.validateUsing(tokenValidator)
    const result = await new AcceptInviteToken().execute(
      ctx.organisation.id,
      token,
      ctx.currentUser!,
      requestActor(ctx)
    )
    forgetActorFacts(ctx.currentUser!)
    return result
  }

  /** GET /api/invites/token-info?token= — what the link grants, before logging in. */
  async tokenInfo(ctx: HttpContext) {
    const { token } = await ctx.request.validateUsing(tokenValidator, { data: ctx.request.qs() })
    const { invite, meeting } = await inviteByToken(ctx.organisation.id, token)
    return {
      meeting: meeting.id,
      meeting_title: meeting.title,
      roles: invite.roles,
      state: invite.state,
      expires: invite.expires?.toUTC().toISO() ?? null,
    }
  }

  /** An invite that does not match the caller is not revealed (404). */
  private async matchingInvite(ctx: HttpContext) {
    const invite = await MeetingInvite.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!invite || (await ctx.bouncer.with(MeetingInvitePolicy).denies('respond', invite))) {
      throw notFound('No such invitation')
    }
    return invite
  }
}
