import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { DomainError, fieldError } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'
import OrganisationPolicy from '#policies/organisation_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { dialectSummary, findDialect, installableDialects } from '#services/dialects'
import { meetingRolesOf } from '#services/meeting_facts'
import { visibleMeeting } from '#services/meeting_lookup'
import { meetingDetail } from '#transformers/meeting_transformer'
import { InstallDialect, RemoveDialect } from '#actions/dialects/install_dialect'

const installValidator = vine.create({ dialect: vine.string().trim().minLength(1).maxLength(60) })
const removeValidator = vine.create({ groups: vine.boolean().optional() })

/** Dialects of meetings (api.md §6.5): the installable list, install and remove. */
export default class MeetingDialectsController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with(OrganisationPolicy).authorize('addMeeting', ctx.organisation)
    const dialects = await installableDialects(ctx.organisation.id)
    return {
      data: dialects.map(({ dialect, version, source }) => ({
        ...dialectSummary(dialect),
        version,
        source,
      })),
    }
  }

  async install(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('changeDialect', meeting)
    const { dialect } = await ctx.request.validateUsing(installValidator)
    if (meeting.installedDialect) {
      throw new DomainError(
        'dialect.already_installed',
        `The dialect "${meeting.installedDialect}" is already installed`,
        {
          field: 'dialect',
          params: { dialect: meeting.installedDialect ?? '' },
        }
      )
    }
    const available = await findDialect(meeting.organisationId, dialect)
    // Files with `installable: false` are offered only through the organisation's dialects filter
    // (not available yet); dialects imported into the organisation are always offered.
    if (!available || (available.source === 'file' && !available.dialect.installable)) {
      throw fieldError('dialect', `Unknown dialect "${dialect}"`, 'exists')
    }
    const installed = await new InstallDialect().execute(meeting, available, requestActor(ctx))
    return meetingDetail(installed, await meetingRolesOf(ctx.currentUser!.id, installed))
  }

  async remove(ctx: HttpContext) {
    const meeting = await visibleMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('changeDialect', meeting)
    const { groups } = await ctx.request.validateUsing(removeValidator)
    const changed = await new RemoveDialect().execute(
      meeting,
      { groups: groups ?? false },
      requestActor(ctx)
    )
    return meetingDetail(changed, await meetingRolesOf(ctx.currentUser!.id, changed))
  }
}
