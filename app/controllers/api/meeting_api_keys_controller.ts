import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import MeetingApiKey from '#models/meeting_api_key'
import { fieldError, notFound, permissionDenied } from '#domain/errors'
import { canSeeMeeting } from '#domain/permissions/meeting'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { validScopes, type TokenApiScope } from '#domain/integrations/api_keys'
import MeetingApiKeyPolicy from '#policies/meeting_api_key_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { apiKeyForApi } from '#transformers/api_key_transformer'
import { createApiKeyValidator, listApiKeysValidator } from '#validators/integrations'
import {
  CycleMeetingApiKey,
  IssueMeetingApiKey,
  RevokeMeetingApiKey,
} from '#actions/integrations/meeting_api_keys'

/** Meeting API key management (api.md §6.22, domain §18.2): moderators. */
export default class MeetingApiKeysController {
  /** GET /api/meeting-api-keys/scopes: public. */
  async scopes() {
    return { data: validScopes }
  }

  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(listApiKeysValidator, {
      data: ctx.request.qs(),
    })
    const meeting = await this.meetingFromField(ctx, meetingId)
    await ctx.bouncer.with(MeetingApiKeyPolicy).authorize('view', meeting)
    const keys = await MeetingApiKey.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    const now = new Date()
    return { data: keys.map((key) => apiKeyForApi(key, now)) }
  }

  async show(ctx: HttpContext) {
    const { key } = await this.keyFor(ctx, 'view')
    return apiKeyForApi(key)
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createApiKeyValidator)
    const meeting = await this.meetingFromField(ctx, input.meeting)
    await this.authorizeIssue(ctx, meeting)
    const issued = await new IssueMeetingApiKey().execute({
      meeting,
      name: input.name,
      scopes: input.scopes as TokenApiScope[],
      actor: requestActor(ctx),
    })
    return ctx.response.created({ ...apiKeyForApi(issued.key), key: issued.raw })
  }

  async destroy(ctx: HttpContext) {
    const { key } = await this.keyFor(ctx, 'delete')
    await new RevokeMeetingApiKey().execute({ key, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  async cycle(ctx: HttpContext) {
    const { key, meeting } = await this.keyFor(ctx, 'view')
    await this.authorizeIssue(ctx, meeting)
    const issued = await new CycleMeetingApiKey().execute({ key, actor: requestActor(ctx) })
    return ctx.response.created({ ...apiKeyForApi(issued.key), key: issued.raw })
  }

  /**
   * Issuing keys needs a browser login (domain §18.2), like minting bearer
   * tokens: a stolen token must not mint longer-lived credentials.
   */
  private async authorizeIssue(ctx: HttpContext, meeting: Meeting) {
    await ctx.bouncer.with(MeetingApiKeyPolicy).authorize('add', meeting)
    if (ctx.authMethod !== 'session') throw permissionDenied('api_key.add')
  }

  /** Visibility first: a key of a meeting the caller cannot see is a 404, then the permission (403). */
  private async keyFor(ctx: HttpContext, permission: 'view' | 'delete') {
    const key = await MeetingApiKey.forOrganisation(ctx.organisation.id)
      .where('prefix', String(ctx.params.prefix))
      .first()
    if (!key) throw notFound('No such API key')
    const meeting = await this.visibleMeeting(ctx, key.meetingId)
    if (!meeting) throw notFound('No such API key')
    await ctx.bouncer.with(MeetingApiKeyPolicy).authorize(permission, meeting)
    return { key, meeting }
  }

  /** The meeting if the caller may see it (read or preview), else null (domain §4.1: 404 before 403). */
  private async visibleMeeting(ctx: HttpContext, id: number): Promise<Meeting | null> {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
    if (!meeting) return null
    return canSeeMeeting(await meetingActor(ctx.currentUser, meeting), meetingFacts(meeting))
      ? meeting
      : null
  }

  private async meetingFromField(ctx: HttpContext, id: number): Promise<Meeting> {
    const meeting = await this.visibleMeeting(ctx, id)
    if (!meeting) throw fieldError('meeting', 'No such meeting', 'exists')
    return meeting
  }
}
