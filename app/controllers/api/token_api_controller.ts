import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import MeetingInvite from '#models/meeting_invite'
import MeetingGroupAnnotation from '#models/meeting_group_annotation'
import { fieldError, notFound, permissionDenied } from '#domain/errors'
import { canKeyChangeInvites } from '#domain/permissions/api_keys'
import { meetingFacts } from '#services/meeting_facts'
import {
  createIdentityAdapters,
  IDENTITY_TYPES,
  type IdentityType,
} from '#domain/invitations/identity'
import { isRoleCode, meetingRoles } from '#domain/permissions/roles'
import { apiKeyActor } from '#middleware/api_key_middleware'
import { paginate } from '#services/queries'
import { requestLockKey, withRequestLock } from '#services/request_lock'
import { meetingPayload } from '#transformers/meeting_transformer'
import { invitePayload } from '#transformers/invite_transformer'
import { createInvitesValidator } from '#validators/invitations'
import { tokenInviteListValidator, tokenInviteRolesValidator } from '#validators/integrations'
import { recordKeyAccess } from '#actions/integrations/meeting_api_keys'
import ChangeInviteRoles from '#actions/integrations/change_invite_roles'
import CreateInvites from '#actions/invitations/create_invites'
import { ManageInvites } from '#actions/invitations/respond_to_invite'

const identityColumns: Record<IdentityType, string> = {
  email: 'email',
  swedish_ssn: 'swedish_ssn',
  member_id: 'member_id',
}

/**
 * The token API (api.md §6.23, domain §18.4): every operation is confined to
 * the key's meeting and attributed to the key's system user (audit entries
 * carry the key). Callers without a key (browser login, bearer token) get
 * empty results from the read operations.
 */
export default class TokenApiController {
  /** GET /api/token-api/meeting (`meeting.list`): the key's meeting as a single object. */
  async meeting(ctx: HttpContext) {
    if (!ctx.apiKey) return ctx.response.noContent()
    const meeting = ctx.apiKeyMeeting!
    await recordKeyAccess(ctx.apiKey, apiKeyActor(ctx), 'meeting.read', 'Meeting', meeting.id)
    return meetingPayload(meeting)
  }

  /** GET /api/token-api/invites (`invites.list`); the listing is audited (domain §19.1). */
  async invites(ctx: HttpContext) {
    // The query-string parser turns `a,b` into an array; the filters are validated as text.
    const qs = Object.fromEntries(
      Object.entries(ctx.request.qs()).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : value,
      ])
    )
    const filters = await ctx.request.validateUsing(tokenInviteListValidator, { data: qs })
    const adapters = createIdentityAdapters(DateTime.utc().year)
    const identity: Partial<Record<IdentityType, string[]>> = {}
    for (const type of IDENTITY_TYPES) {
      const raw = filters[type]
      if (raw === undefined) continue
      identity[type] = raw.split(',').map((value) => {
        const result = adapters[type].normalise(value)
        if ('error' in result) throw fieldError(type, `"${value}" ${result.error}`, 'invalid')
        return result.value
      })
    }
    const roles = filters.roles?.split(',') ?? []
    const unknownRole = roles.find((role) => !isRoleCode(meetingRoles, role))
    if (unknownRole) throw fieldError('roles', `Unknown meeting role "${unknownRole}"`, 'enum')

    if (!ctx.apiKey)
      return {
        data: [],
        meta: { total: 0, per_page: filters.per_page ?? 100, current_page: 1, last_page: 1 },
      }
    const meeting = ctx.apiKeyMeeting!
    const query = MeetingInvite.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    for (const type of IDENTITY_TYPES) {
      if (identity[type]) query.whereIn(identityColumns[type], identity[type]!)
    }
    if (roles.length)
      // `like` on a JSON column needs a cast on PostgreSQL.
      query.where((any) =>
        roles.forEach((role) => any.orWhereRaw('cast(roles as text) like ?', [`%"${role}"%`]))
      )
    if (filters.state) query.whereIn('state', filters.state.split(','))
    const page = await paginate(query, filters)
    const annotated = await annotatedIds(
      meeting.organisationId,
      page.rows.map((invite) => invite.id)
    )

    await recordKeyAccess(
      ctx.apiKey,
      apiKeyActor(ctx),
      'meeting_invite.listed',
      'MeetingInvite',
      null,
      {
        filters: [
          null,
          { ...identity, roles: roles.length ? roles : undefined, state: filters.state },
        ],
        results: [null, page.rows.length],
      }
    )
    return {
      data: page.rows.map((invite) => invitePayload(invite, annotated.has(invite.id))),
      meta: page.meta,
    }
  }

  /** POST /api/token-api/invites (`invites.create`): the moderator pipeline, meeting injected. */
  async createInvites(ctx: HttpContext) {
    const meeting = ctx.apiKeyMeeting!
    this.assertCanChangeInvites(ctx)
    const body = ctx.request.body()
    // The key's meeting always wins over a `meeting` sent by the client.
    const input = await ctx.request.validateUsing(createInvitesValidator, {
      data: { ...body, meeting: meeting.id },
    })
    const actor = apiKeyActor(ctx)
    const result = await withRequestLock(requestLockKey(ctx), () =>
      new CreateInvites().execute({
        organisation: ctx.organisation,
        meeting,
        rows: input.data.map((row) =>
          Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined))
        ),
        roles: input.roles ?? ['pa'],
        dryrun: input.dryrun,
        links: input.links,
        actor,
      })
    )
    // A dry run changes nothing, but the key's use is still on record.
    if (input.dryrun) {
      await recordKeyAccess(ctx.apiKey!, actor, 'meeting_invite.dry_run', 'MeetingInvite', null, {
        rows: [null, input.data.length],
      })
    }
    return result
  }

  /** GET /api/token-api/invites/{id} (`invites.retrieve`) */
  async invite(ctx: HttpContext) {
    if (!ctx.apiKey) throw notFound('No such invitation')
    const invite = await this.inviteOfKey(ctx)
    await recordKeyAccess(
      ctx.apiKey,
      apiKeyActor(ctx),
      'meeting_invite.read',
      'MeetingInvite',
      invite.id
    )
    const annotated = await annotatedIds(invite.organisationId, [invite.id])
    return invitePayload(invite, annotated.has(invite.id))
  }

  /** DELETE /api/token-api/invites/{id} (`invites.destroy`) */
  async destroyInvite(ctx: HttpContext) {
    const invite = await this.inviteOfKey(ctx)
    this.assertCanChangeInvites(ctx)
    await new ManageInvites().bulkDelete(ctx.apiKeyMeeting!, [invite.id], apiKeyActor(ctx))
    return ctx.response.noContent()
  }

  /** POST /api/token-api/invites/{id}/add-roles (`invites.add_roles`) */
  async addRoles(ctx: HttpContext) {
    return this.changeRoles(ctx, 'add')
  }

  /** POST /api/token-api/invites/{id}/remove-roles (`invites.remove_roles`) */
  async removeRoles(ctx: HttpContext) {
    return this.changeRoles(ctx, 'remove')
  }

  private async changeRoles(ctx: HttpContext, mode: 'add' | 'remove') {
    const { roles } = await ctx.request.validateUsing(tokenInviteRolesValidator)
    await this.inviteOfKey(ctx)
    this.assertCanChangeInvites(ctx)
    const invite = await new ChangeInviteRoles().execute({
      meeting: ctx.apiKeyMeeting!,
      inviteId: Number(ctx.params.id),
      roles,
      mode,
      actor: apiKeyActor(ctx),
    })
    const annotated = await annotatedIds(invite.organisationId, [invite.id])
    return invitePayload(invite, annotated.has(invite.id))
  }

  private assertCanChangeInvites(ctx: HttpContext) {
    if (!canKeyChangeInvites(meetingFacts(ctx.apiKeyMeeting!)))
      throw permissionDenied('meeting_invite.change')
  }

  /** An invite of the key's meeting; any other id (other meetings too) is a 404. */
  private async inviteOfKey(ctx: HttpContext) {
    const meeting = ctx.apiKeyMeeting!
    const invite = await MeetingInvite.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('id', Number(ctx.params.id))
      .first()
    if (!invite) throw notFound('No such invitation')
    return invite
  }
}

async function annotatedIds(organisationId: number, ids: number[]) {
  if (ids.length === 0) return new Set<number>()
  const rows = await MeetingGroupAnnotation.forOrganisation(organisationId)
    .whereIn('meeting_invite_id', ids)
    .select('meeting_invite_id')
  return new Set(rows.map((row) => row.meetingInviteId))
}
