import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { readFile } from 'node:fs/promises'
import MeetingInvite from '#models/meeting_invite'
import { DomainError, fieldError, notFound } from '#domain/errors'
import { maskUserData } from '#domain/invitations/identity'
import { inviteMachine } from '#domain/invitations/state_machine'
import { MAX_INVITE_FILE_BYTES, parseInviteTable } from '#domain/invitations/tabular'
import { meetingRoles } from '#domain/permissions/roles'
import { canManageInvites } from '#domain/permissions/invitations'
import MeetingInvitePolicy from '#policies/meeting_invite_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { formatTimestamp, pageLinks, withoutEmpty } from '#services/admin_pages'
import { staffMeeting } from '#services/admin_meetings'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { paginate } from '#services/queries'
import CreateInvites from '#actions/invitations/create_invites'
import { ManageInvites } from '#actions/invitations/respond_to_invite'

const INVITE_STATES = inviteMachine.states as readonly string[]
const roleCodes = Object.keys(meetingRoles)

const listValidator = vine.create({
  state: vine.string().trim().maxLength(20).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
})
const singleValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  roles: vine.array(vine.enum(roleCodes)).minLength(1).optional(),
})
const importValidator = vine.create({
  text: vine.string().maxLength(MAX_INVITE_FILE_BYTES).optional(),
  roles: vine.array(vine.enum(roleCodes)).minLength(1).optional(),
  commit: vine.boolean().optional(),
})

/**
 * A meeting's invitations (issue 5 item 9): list with masked identities, a
 * single invite, CSV/TSV upload with a dry-run preview before the commit, and
 * revoke. The CreateInvites pipeline does the work (domain §16.3).
 */
export default class MeetingInvitationsController {
  async index(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('view', meeting)
    const filters = await listValidator.validate(withoutEmpty(ctx.request.qs()))
    return ctx.view.render('pages/admin/meetings/invitations', {
      ...(await this.page(ctx, meeting.id, filters)),
      preview: null,
    })
  }

  async store(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)
    const input = await ctx.request.validateUsing(singleValidator)
    const result = await new CreateInvites().execute({
      organisation: ctx.organisation,
      meeting,
      rows: [{ email: input.email }],
      roles: input.roles ?? ['pa'],
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', this.describe(result.invites, false))
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/invitations`)
  }

  /**
   * Without `commit`: a dry run (the pipeline in a rolled-back transaction) shown
   * on the page with the text kept for the commit button. With `commit`: the
   * real import, then back to the list.
   */
  async import(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)
    const input = await ctx.request.validateUsing(importValidator)
    let text = input.text
    let format: 'csv' | 'tsv' | undefined
    const file = ctx.request.file('file', { size: `${MAX_INVITE_FILE_BYTES}b` })
    if (file && file.isValid && file.tmpPath) {
      const extname = (file.extname ?? '').toLowerCase()
      if (!['csv', 'tsv', 'txt'].includes(extname))
        throw fieldError('file', 'Upload a CSV or TSV file (export spreadsheets as CSV)', 'extname')
      text = await readFile(file.tmpPath, 'utf8')
      format = extname === 'tsv' ? 'tsv' : extname === 'csv' ? 'csv' : undefined
    } else if (file && !file.isValid) {
      throw fieldError('file', file.errors[0]?.message ?? 'Invalid file', 'file')
    }
    if (!text || text.trim() === '')
      throw fieldError('text', 'Upload a file or paste text', 'required')
    const table = parseInviteTable(text, format)
    const roles = input.roles ?? ['pa']
    const dryrun = !input.commit
    let result
    try {
      result = await new CreateInvites().execute({
        organisation: ctx.organisation,
        meeting,
        rows: table.rows,
        lines: table.lines,
        fieldPrefix: 'file.line',
        roles,
        dryrun,
        actor: requestActor(ctx, 'admin'),
      })
    } catch (error) {
      // Name the line in the message: "file.line.3" → "Line 3: …"
      if (error instanceof DomainError && error.details.field?.startsWith('file.line.')) {
        const line = error.details.field.split('.')[2]
        throw new DomainError(error.code, `Line ${line}: ${error.message}`, error.details)
      }
      throw error
    }
    if (!dryrun) {
      ctx.session.flash('success', this.describe(result.invites, false))
      return ctx.response.redirect(`/admin/meetings/${meeting.id}/invitations`)
    }
    return ctx.view.render('pages/admin/meetings/invitations', {
      ...(await this.page(ctx, meeting.id, {})),
      preview: {
        text,
        roles,
        rows: table.rows.length,
        summary: this.describe(result.invites, true),
        annotations: result.annotations,
      },
    })
  }

  async revoke(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingInvitePolicy).authorize('manage', meeting)
    const invite = await MeetingInvite.findInOrganisation(ctx.organisation.id, ctx.params.invite)
    if (!invite || invite.meetingId !== meeting.id) throw notFound('No such invitation')
    const actor = await meetingActor(ctx.currentUser, meeting)
    await new ManageInvites().revoke(invite, requestActor(ctx, 'admin'), () =>
      canManageInvites(actor, meetingFacts(meeting))
    )
    ctx.session.flash('success', `Invitation #${invite.id} revoked`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/invitations`)
  }

  private describe(counts: { added: number; changed: number; existed: number }, dryrun: boolean) {
    const verb = dryrun ? 'Would add' : 'Added'
    return `${verb} ${counts.added}, ${dryrun ? 'change' : 'changed'} ${counts.changed}; ${counts.existed} already up to date`
  }

  private async page(
    ctx: HttpContext,
    meetingId: number,
    filters: { state?: string; page?: number }
  ) {
    const meeting = await staffMeeting(ctx, meetingId)
    const query = MeetingInvite.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id', 'desc')
    if (filters.state && INVITE_STATES.includes(filters.state)) query.where('state', filters.state)
    const page = await paginate(query, { page: filters.page, per_page: 50 })
    return {
      meeting: { id: meeting.id, title: meeting.title, state: meeting.state },
      canManage: await ctx.bouncer.with(MeetingInvitePolicy).allows('manage', meeting),
      invites: page.rows.map((invite) => ({
        id: invite.id,
        state: invite.state,
        roles: invite.roles,
        identity: Object.entries(maskUserData(invite.userData))
          .map(([type, value]) => `${type}: ${value}`)
          .join(', '),
        hasLink: invite.tokenHash !== null,
        created: formatTimestamp(invite.createdAt),
      })),
      state: filters.state ?? '',
      states: INVITE_STATES.map((value) => ({ value, label: value })),
      roles: Object.values(meetingRoles).map((role) => ({ value: role.name, label: role.title })),
      pages: pageLinks(
        `/admin/meetings/${meeting.id}/invitations`,
        { state: filters.state },
        page.meta
      ),
    }
  }
}
