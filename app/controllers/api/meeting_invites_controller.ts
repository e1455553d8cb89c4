import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import MeetingInvite from '#models/meeting_invite'
import MeetingGroupAnnotation from '#models/meeting_group_annotation'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import { DomainError, fieldError, notFound } from '#domain/errors'
import { inviteDataTypes } from '#domain/invitations/identity'
import { inviteMachine } from '#domain/invitations/state_machine'
import { describeEvents } from '#domain/state_machines/machine'
import { MAX_INVITE_FILE_BYTES, parseInviteTable } from '#domain/invitations/tabular'
import { splitRolesCell } from '#domain/invitations/pipeline'
import { canManageInvites } from '#domain/permissions/invitations'
import MeetingInvitePolicy from '#policies/meeting_invite_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingFromField } from '#services/meeting_lookup'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { paginate } from '#services/queries'
import { requestLockKey, withRequestLock } from '#services/request_lock'
import { invitePayload } from '#transformers/invite_transformer'
import {
  bulkInvitesValidator,
  clearAnnotationsValidator,
  createInvitesValidator,
  importInvitesValidator,
  inviteEventValidator,
  listInvitesValidator,
} from '#validators/invitations'
import CreateInvites from '#actions/invitations/create_invites'
import { ManageInvites } from '#actions/invitations/respond_to_invite'

/** Moderator endpoints for a meeting's invitations (api.md §6.11). */
export default class MeetingInvitesController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listInvitesValidator, {
      data: ctx.request.qs(),
    })
    const meeting = await meetingFromField(ctx, filters.meeting)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('view', meeting)
    const query = MeetingInvite.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    if (filters.state) query.whereIn('state', filters.state.split(','))
    if (filters.email) query.where('email', filters.email.toLowerCase())
    if (filters.roles) {
      for (const role of filters.roles.split(','))
        query.whereRaw('CAST(roles AS TEXT) LIKE ?', [`%"${role}"%`])
    }
    const page = await paginate(query, filters)
    const annotated = await annotatedIds(
      meeting.organisationId,
      page.rows.map((invite) => invite.id)
    )
    return {
      data: page.rows.map((invite) => invitePayload(invite, annotated.has(invite.id))),
      meta: page.meta,
    }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createInvitesValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)
    const result = await withRequestLock(requestLockKey(ctx), () =>
      new CreateInvites().execute({
        organisation: ctx.organisation,
        meeting,
        rows: input.data.map((row) => stripUndefined(row)),
        roles: input.roles ?? ['pa'],
        dryrun: input.dryrun,
        links: input.links,
        actor: requestActor(ctx),
      })
    )
    return result
  }

  /** A CSV/TSV file (multipart `file`) or pasted text `{text, format}`; optional `roles` column. */
  async import(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(importInvitesValidator, {
      data: {
        ...ctx.request.all(),
        dryrun: booleanField(ctx.request.input('dryrun')),
        links: booleanField(ctx.request.input('links')),
      },
    })
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)

    let text = input.text
    let format = input.format
    const file = ctx.request.file('file')
    if (file) {
      if (file.size > MAX_INVITE_FILE_BYTES) {
        throw new DomainError(
          'payload.too_large',
          `The file is larger than ${MAX_INVITE_FILE_BYTES / 1024 / 1024} MB`,
          {
            field: 'file',
            meta: { max_bytes: MAX_INVITE_FILE_BYTES },
          }
        )
      }
      const extname = (file.extname ?? '').toLowerCase()
      if (!['csv', 'tsv', 'txt'].includes(extname)) {
        // XLSX/ODS need a spreadsheet reader; until one is added, ask for CSV/TSV.
        throw fieldError('file', 'Upload a CSV or TSV file (export spreadsheets as CSV)', 'extname')
      }
      const { readFile } = await import('node:fs/promises')
      text = await readFile(file.tmpPath!, 'utf8')
      format = format ?? (extname === 'tsv' ? 'tsv' : extname === 'csv' ? 'csv' : undefined)
    }
    if (text === undefined || text.trim() === '')
      throw fieldError('file', 'Upload a file or paste text', 'required')
    if (Buffer.byteLength(text, 'utf8') > MAX_INVITE_FILE_BYTES) {
      throw new DomainError('payload.too_large', 'The text is larger than 2 MB', { field: 'text' })
    }
    const table = parseInviteTable(text, format)
    const roles =
      input.roles === undefined
        ? ['pa']
        : Array.isArray(input.roles)
          ? input.roles
          : splitRolesCell(input.roles)
    return withRequestLock(requestLockKey(ctx), () =>
      new CreateInvites().execute({
        organisation: ctx.organisation,
        meeting,
        rows: table.rows,
        lines: table.lines,
        fieldPrefix: 'file.line',
        roles: roles.length ? roles : ['pa'],
        dryrun: input.dryrun,
        links: input.links,
        actor: requestActor(ctx),
      })
    )
  }

  async show(ctx: HttpContext) {
    const { invite } = await this.visibleInvite(ctx)
    const annotations = await MeetingGroupAnnotation.forOrganisation(invite.organisationId).where(
      'meeting_invite_id',
      invite.id
    )
    const groups = await MeetingGroup.forOrganisation(invite.organisationId).whereIn(
      'id',
      annotations.map((a) => a.meetingGroupId)
    )
    const roleIds = annotations.map((a) => a.groupRoleId).filter((id): id is number => id !== null)
    const roles = roleIds.length
      ? await GroupRole.forOrganisation(invite.organisationId).whereIn('id', roleIds)
      : []
    return {
      ...invitePayload(invite, annotations.length > 0),
      annotations: annotations.flatMap((annotation) => {
        const group = groups.find((candidate) => candidate.id === annotation.meetingGroupId)
        const role = roles.find((candidate) => candidate.id === annotation.groupRoleId)
        return [
          {
            name: 'group',
            meeting_group: annotation.meetingGroupId,
            groupid: group?.groupid ?? null,
          },
          ...(role ? [{ name: 'grouprole', role: role.id, role_id: role.roleId }] : []),
        ]
      }),
    }
  }

  /** GET …/event (api.md §6.1): the state and the events from it with reasons. */
  async events(ctx: HttpContext) {
    const { invite, meeting } = await this.visibleInvite(ctx)
    const can = await this.permissions(ctx, meeting)
    return { state: invite.state, events: describeEvents(inviteMachine, invite.state, {}, can) }
  }

  /** POST …/event: moderators may `revoke`; accept/decline go through matched invites or links. */
  async fire(ctx: HttpContext) {
    const { invite, meeting } = await this.visibleInvite(ctx)
    const { event } = await ctx.request.validateUsing(inviteEventValidator)
    const can = await this.permissions(ctx, meeting)
    if (
      event !== 'revoke' &&
      inviteMachine.events.some((candidate) => candidate.name === event && !candidate.internal)
    ) {
      // accept/reject belong to the invited person, not to the moderator.
      throw new DomainError('permission.denied', 'Only the invited person can do that', {
        meta: { permission: 'meeting_invite.respond' },
      })
    }
    const changed = await new ManageInvites().revoke(invite, requestActor(ctx), can)
    return {
      state: changed.state,
      events: describeEvents(inviteMachine, changed.state, {}, can),
      object: invitePayload(
        changed,
        (await annotatedIds(changed.organisationId, [changed.id])).has(changed.id)
      ),
    }
  }

  async bulkDelete(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(bulkInvitesValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)
    return new ManageInvites().bulkDelete(meeting, input.invites, requestActor(ctx))
  }

  async bulkRevoke(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(bulkInvitesValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)
    return new ManageInvites().bulkRevoke(meeting, input.invites, requestActor(ctx))
  }

  async clearAnnotations(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(clearAnnotationsValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)
    return new ManageInvites().clearAnnotations(meeting, input.types, requestActor(ctx))
  }

  async dataTypes(ctx: HttpContext) {
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('listDataTypes')
    return { data: inviteDataTypes(ctx.organisation.scope ?? []) }
  }

  /** Invites are visible to the meeting's moderators only; anyone else gets a 404. */
  private async visibleInvite(ctx: HttpContext) {
    const invite = await MeetingInvite.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!invite) throw notFound('No such invitation')
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, invite.meetingId)
    if (!meeting || (await ctx.bouncer.with(MeetingInvitePolicy).denies('view', meeting))) {
      throw notFound('No such invitation')
    }
    return { invite, meeting }
  }

  private async permissions(ctx: HttpContext, meeting: Meeting) {
    const allowed = canManageInvites(
      await meetingActor(ctx.currentUser, meeting),
      meetingFacts(meeting)
    )
    return (permission: string) => permission === 'meeting_invite.change' && allowed
  }
}

async function annotatedIds(organisationId: number, ids: number[]) {
  if (ids.length === 0) return new Set<number>()
  const rows = await MeetingGroupAnnotation.forOrganisation(organisationId)
    .whereIn('meeting_invite_id', ids)
    .select('meeting_invite_id')
  return new Set(rows.map((row) => row.meetingInviteId))
}

function stripUndefined(row: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined))
}

/** Multipart fields arrive as text. */
function booleanField(value: unknown) {
  if (value === 'true' || value === '1') return true
  if (value === 'false' || value === '0') return false
  return value
}
