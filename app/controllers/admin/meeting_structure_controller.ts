import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import { DomainError, notFound } from '#domain/errors'
import {
  defaultExportOptions,
  renderStructure,
  type ExportOptions,
} from '#domain/meeting_structure/format'
import type { SchemaIssue } from '#domain/dialects/yaml_schema'
import MeetingPolicy from '#policies/meeting_policy'
import OrganisationPolicy from '#policies/organisation_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { recordAudit } from '#services/audit_log'
import { buildStructure, exportSecret } from '#services/meeting_structure'
import { requestLockKey, withRequestLock } from '#services/request_lock'
import {
  CloneMeeting,
  ImportStructure,
  readStructure,
} from '#actions/meeting_structure/import_structure'

const exportKeys = Object.keys(defaultExportOptions) as Array<keyof ExportOptions>

/**
 * Admin screens for meeting structure files (domain §21 "admin action"): export, import into an
 * upcoming meeting, clone. Moderators of the meeting; the same actions as the API and the commands.
 */
export default class MeetingStructureController {
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
    return ctx.view.render('pages/admin/structure/index', {
      meetings: meetings.map((meeting) => ({
        id: meeting.id,
        title: meeting.title,
        state: meeting.state,
      })),
    })
  }

  async show(ctx: HttpContext) {
    const meeting = await this.moderated(ctx)
    return ctx.view.render('pages/admin/structure/show', {
      meeting: { id: meeting.id, title: meeting.title, state: meeting.state },
      canImport: meeting.state === 'upcoming',
      canClone: await ctx.bouncer.with(OrganisationPolicy).allows('addMeeting', ctx.organisation),
      defaults: defaultExportOptions,
    })
  }

  async download(ctx: HttpContext) {
    const meeting = await this.moderated(ctx)
    const query = ctx.request.qs()
    const options = Object.fromEntries(
      exportKeys.map((key) => [key, query[key] === '1'])
    ) as unknown as ExportOptions
    const content = await buildStructure(meeting, query.custom === '1' ? options : {})
    await db.transaction((trx) =>
      recordAudit(trx, requestActor(ctx, 'admin'), {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'access',
        event: 'meeting.structure_exported',
        model: 'Meeting',
        objectId: meeting.id,
        changes: { options: [null, content.options] },
      })
    )
    ctx.response.header('content-type', 'application/yaml; charset=utf-8')
    ctx.response.header('content-disposition', `attachment; filename="meeting-${meeting.id}.yaml"`)
    return renderStructure(content, exportSecret())
  }

  async import(ctx: HttpContext) {
    const meeting = await this.moderated(ctx)
    if (meeting.state !== 'upcoming') {
      ctx.session.flash('error', 'Structure can only be imported into an upcoming meeting')
      return ctx.response.redirect().back()
    }
    try {
      const file = readStructure(String(ctx.request.input('yaml', '')))
      const result = await withRequestLock(requestLockKey(ctx), () =>
        new ImportStructure().execute(
          meeting,
          file,
          {
            use_existing_groups: ctx.request.input('use_existing_groups') === '1',
            add_participants: ctx.request.input('add_participants') === '1',
            missing_users: 'blank',
          },
          requestActor(ctx, 'admin')
        )
      )
      const counts = Object.entries(result.created)
        .filter(([, count]) => count > 0)
        .map(([name, count]) => `${count} ${name.replace('_', ' ')}`)
      ctx.session.flash(
        'success',
        `Imported ${counts.join(', ') || 'nothing'}${result.signature_valid ? '' : ' (unsigned or edited file)'}`
      )
      if (result.problems.length)
        ctx.session.flash(
          'structureProblems',
          result.problems.map((p) => `${p.key}: ${p.message}`)
        )
    } catch (error) {
      if (error instanceof DomainError && error.code === 'structure.invalid') {
        ctx.session.flash(
          'error',
          'The file is not a valid meeting structure; nothing was imported'
        )
        ctx.session.flash(
          'structureProblems',
          (error.details.meta!.issues as SchemaIssue[]).map(
            (issue) => `line ${issue.line}, ${issue.key}: ${issue.message}`
          )
        )
        return ctx.response.redirect().back()
      }
      throw error
    }
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/structure`)
  }

  async clone(ctx: HttpContext) {
    const meeting = await this.moderated(ctx)
    await ctx.bouncer.with(OrganisationPolicy).authorize('addMeeting', ctx.organisation)
    const title = String(ctx.request.input('title', '')).trim().slice(0, 100) || undefined
    const dryrun = ctx.request.input('dryrun') === '1'
    const result = await withRequestLock(requestLockKey(ctx), () =>
      new CloneMeeting().execute({
        organisation: ctx.organisation,
        source: meeting,
        title,
        dryrun,
        creator: ctx.currentUser!,
        actor: requestActor(ctx, 'admin'),
      })
    )
    const counts = Object.entries(result.counts)
      .filter(([, count]) => count > 0)
      .map(([name, count]) => `${count} ${name.replace('_', ' ')}`)
      .join(', ')
    if (!result.meeting) {
      ctx.session.flash('success', `Dry run: a clone would copy ${counts || 'nothing'}`)
      return ctx.response.redirect(`/admin/meetings/${meeting.id}/structure`)
    }
    ctx.session.flash('success', `Created “${result.meeting.title}” with ${counts || 'no content'}`)
    return ctx.response.redirect(`/admin/meetings/${result.meeting.id}/structure`)
  }

  /** The meeting, for its moderators; anyone else gets a 404 (not revealed). */
  private async moderated(ctx: HttpContext) {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, ctx.params.meeting)
    if (!meeting || (await ctx.bouncer.with(MeetingPolicy).denies('moderate', meeting)))
      throw notFound('No such meeting')
    return meeting
  }
}
