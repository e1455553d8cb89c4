import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import MeetingApiKey from '#models/meeting_api_key'
import { notFound } from '#domain/errors'
import {
  validScopes,
  MAX_ACTIVE_KEYS_PER_MEETING,
  type TokenApiScope,
} from '#domain/integrations/api_keys'
import { isMeetingActive } from '#domain/meetings/state_machine'
import MeetingApiKeyPolicy from '#policies/meeting_api_key_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { formatTimestamp } from '#services/admin_pages'
import { adminCreateApiKeyValidator } from '#validators/integrations'
import {
  CycleMeetingApiKey,
  IssueMeetingApiKey,
  RevokeMeetingApiKey,
} from '#actions/integrations/meeting_api_keys'

/**
 * Admin screens for meeting API keys (domain §18.2): the meetings the user
 * moderates, and per meeting the keys with create (shown once), revoke and
 * cycle. Same actions and policy as the API.
 */
export default class ApiKeysController {
  /** The meetings the current user moderates, with their active key counts. */
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
    const keys = meetings.length
      ? await MeetingApiKey.forOrganisation(ctx.organisation.id).whereIn(
          'meeting_id',
          meetings.map((meeting) => meeting.id)
        )
      : []
    const now = new Date()
    return ctx.view.render('pages/admin/api_keys/index', {
      meetings: meetings.map((meeting) => ({
        id: meeting.id,
        title: meeting.title,
        state: meeting.state,
        active: keys.filter((key) => key.meetingId === meeting.id && key.isActive(now)).length,
      })),
    })
  }

  async show(ctx: HttpContext) {
    const meeting = await this.meeting(ctx)
    await ctx.bouncer.with(MeetingApiKeyPolicy).authorize('view', meeting)
    const keys = await MeetingApiKey.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    const now = new Date()
    const activeCount = keys.filter((key) => key.isActive(now)).length
    return ctx.view.render('pages/admin/api_keys/show', {
      meeting: { id: meeting.id, title: meeting.title, state: meeting.state },
      canIssue:
        (await ctx.bouncer.with(MeetingApiKeyPolicy).allows('add', meeting)) &&
        activeCount < MAX_ACTIVE_KEYS_PER_MEETING,
      meetingActive: isMeetingActive(meeting.state),
      limit: MAX_ACTIVE_KEYS_PER_MEETING,
      activeCount,
      scopes: validScopes,
      keys: keys.map((key) => ({
        prefix: key.prefix,
        name: key.name,
        scopes: key.scopes.join(', '),
        active: key.isActive(now),
        revoked: key.revoked ? formatTimestamp(key.revoked) : null,
        expiry: formatTimestamp(key.expiry),
        created: formatTimestamp(key.createdAt),
        lastUsed: key.lastUsed ? formatTimestamp(key.lastUsed) : 'never',
        user: key.userId,
      })),
    })
  }

  async store(ctx: HttpContext) {
    const meeting = await this.meeting(ctx)
    await ctx.bouncer.with(MeetingApiKeyPolicy).authorize('add', meeting)
    const input = await ctx.request.validateUsing(adminCreateApiKeyValidator)
    const issued = await new IssueMeetingApiKey().execute({
      meeting,
      name: input.name,
      scopes: input.scopes as TokenApiScope[],
      actor: requestActor(ctx, 'admin'),
    })
    this.showOnce(ctx, issued.raw, `Key "${issued.key.name}" created`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/api-keys`)
  }

  async revoke(ctx: HttpContext) {
    const { meeting, key } = await this.key(ctx)
    await ctx.bouncer.with(MeetingApiKeyPolicy).authorize('delete', meeting)
    await new RevokeMeetingApiKey().execute({ key, actor: requestActor(ctx, 'admin') })
    ctx.session.flash('success', `Key "${key.name}" revoked`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/api-keys`)
  }

  async cycle(ctx: HttpContext) {
    const { meeting, key } = await this.key(ctx)
    await ctx.bouncer.with(MeetingApiKeyPolicy).authorize('add', meeting)
    const issued = await new CycleMeetingApiKey().execute({
      key,
      actor: requestActor(ctx, 'admin'),
    })
    this.showOnce(ctx, issued.raw, `Key "${key.name}" replaced; the old key no longer works`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/api-keys`)
  }

  /** The raw key travels once through the flash store to the next page and is never stored. */
  private showOnce(ctx: HttpContext, raw: string, message: string) {
    ctx.session.flash('success', message)
    ctx.session.flash('apiKey', raw)
  }

  private async meeting(ctx: HttpContext) {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, ctx.params.meeting)
    if (!meeting) throw notFound('No such meeting')
    return meeting
  }

  private async key(ctx: HttpContext) {
    const meeting = await this.meeting(ctx)
    const key = await MeetingApiKey.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .where('prefix', String(ctx.params.prefix))
      .first()
    if (!key) throw notFound('No such API key')
    return { meeting, key }
  }
}
