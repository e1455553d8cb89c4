import type { HttpContext } from '@adonisjs/core/http'
import { readFile } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import MeetingRole from '#models/meeting_role'
import { DomainError, fieldError, permissionDenied } from '#domain/errors'
import {
  MAX_STRUCTURE_BYTES,
  renderStructure,
  type ExportOptions,
  type ImportOptions,
} from '#domain/meeting_structure/format'
import MeetingPolicy from '#policies/meeting_policy'
import OrganisationPolicy from '#policies/organisation_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { recordAudit } from '#services/audit_log'
import { buildStructure, exportSecret } from '#services/meeting_structure'
import { meetingRolesOf } from '#services/meeting_facts'
import { visibleMeeting } from '#services/meeting_lookup'
import { requestLockKey, withRequestLock } from '#services/request_lock'
import { meetingDetail } from '#transformers/meeting_transformer'
import {
  cloneMeetingValidator,
  exportStructureValidator,
  importStructureValidator,
} from '#validators/meeting_structure'
import {
  CloneMeeting,
  ImportStructure,
  previewStructure,
  readStructure,
} from '#actions/meeting_structure/import_structure'

/** Query strings and multipart fields carry booleans as text. */
function booleans(values: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
    ])
  )
}

/** Meeting structure export, preview, import and clone (api.md §6.19, domain §21). */
export default class MeetingStructureController {
  async export(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('moderate', meeting)
    const options = (await ctx.request.validateUsing(exportStructureValidator, {
      data: booleans(ctx.request.qs()),
    })) as Partial<ExportOptions>
    const content = await buildStructure(meeting, options)
    // Exports are recorded as access entries (domain §4.6, §19.1).
    await db.transaction((trx) =>
      recordAudit(trx, requestActor(ctx), {
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

  async preview(ctx: HttpContext) {
    await this.assertMayPreview(ctx)
    const file = readStructure(await this.uploadedText(ctx))
    return previewStructure(ctx.organisation, file)
  }

  async import(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('moderate', meeting)
    if (meeting.state !== 'upcoming') throw permissionDenied('meeting.import_structure')
    const options = (await ctx.request.validateUsing(importStructureValidator, {
      data: booleans(ctx.request.all()),
    })) as Partial<ImportOptions>
    const file = readStructure(await this.uploadedText(ctx))
    return withRequestLock(requestLockKey(ctx), () =>
      new ImportStructure().execute(meeting, file, options, requestActor(ctx))
    )
  }

  async clone(ctx: HttpContext) {
    const source = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('moderate', source)
    await ctx.bouncer.with(OrganisationPolicy).authorize('addMeeting', ctx.organisation)
    const input = await ctx.request.validateUsing(cloneMeetingValidator)
    const {
      use_existing_groups: useExisting,
      add_participants: addParticipants,
      missing_users: missingUsers,
      ...exportOptions
    } = input.options ?? {}
    const result = await withRequestLock(requestLockKey(ctx), () =>
      new CloneMeeting().execute({
        organisation: ctx.organisation,
        source,
        title: input.title,
        dryrun: input.dryrun ?? true,
        exportOptions,
        importOptions: {
          ...(useExisting !== undefined ? { use_existing_groups: useExisting } : {}),
          ...(addParticipants !== undefined ? { add_participants: addParticipants } : {}),
          ...(missingUsers !== undefined ? { missing_users: missingUsers } : {}),
        },
        creator: ctx.currentUser!,
        actor: requestActor(ctx),
      })
    )
    if (!result.meeting) return { dryrun: true, counts: result.counts }
    ctx.response.status(201)
    return meetingDetail(result.meeting, await meetingRolesOf(ctx.currentUser!.id, result.meeting))
  }

  /** `meeting.add`, or moderator of any meeting (api.md §6.19). */
  private async assertMayPreview(ctx: HttpContext) {
    if (await ctx.bouncer.with(OrganisationPolicy).allows('addMeeting', ctx.organisation)) return
    const moderated = await MeetingRole.forOrganisation(ctx.organisation.id)
      .where('user_id', ctx.currentUser!.id)
      // JSON columns are compared as text (works on SQLite and PostgreSQL).
      .whereRaw('CAST(assigned AS TEXT) LIKE ?', ['%"mo"%'])
      .first()
    if (!moderated) throw permissionDenied('meeting_structure.preview')
  }

  /** Multipart `file` (≤ 2 MB, else 413) or a JSON `yaml` field. */
  private async uploadedText(ctx: HttpContext): Promise<string> {
    const file = ctx.request.file('file')
    if (file) {
      if (file.size > MAX_STRUCTURE_BYTES) {
        throw new DomainError('payload.too_large', 'A meeting structure file may be at most 2 MB', {
          field: 'file',
        })
      }
      return readFile(file.tmpPath!, 'utf8')
    }
    const yaml = ctx.request.input('yaml')
    if (typeof yaml === 'string' && yaml.trim() !== '') return yaml
    throw fieldError('file', 'Upload a meeting structure file', 'required')
  }
}
