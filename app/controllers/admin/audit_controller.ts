import type { HttpContext } from '@adonisjs/core/http'
import { errors as vineErrors } from '@vinejs/vine'
import AuditEntry from '#models/audit_entry'
import User from '#models/user'
import { DomainError } from '#domain/errors'
import { auditListValidator } from '#validators/audit'
import { auditQuery, type AuditFilters } from '#services/audit_query'
import { paginate } from '#services/queries'
import { changeLines, formatTimestamp, pageLinks, withoutEmpty } from '#services/admin_pages'

const PER_PAGE = 50
const ACTIONS = ['create', 'update', 'delete', 'access']
const FILTERS = [
  'model',
  'event',
  'action',
  'actor',
  'meeting',
  'object_id',
  'since',
  'until',
] as const

/** The organisation's audit log, newest first (organisation managers). */
export default class AuditController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('readAudit', ctx.organisation)
    const raw = withoutEmpty(ctx.request.qs())
    const form = Object.fromEntries(FILTERS.map((key) => [key, raw[key] ?? '']))
    const options = await this.filterOptions(ctx.organisation.id)

    // A bad filter is shown next to its field on the same page (no redirect loop on a GET form).
    const [error, filters] = await auditListValidator.tryValidate(raw)
    if (error) return this.render(ctx, { form, options, errors: fieldMessages(error) })
    let page
    try {
      page = await paginate(
        auditQuery(ctx.organisation.id, filters as AuditFilters).orderBy('id', 'desc'),
        {
          page: filters.page,
          per_page: filters.per_page ?? PER_PAGE,
        }
      )
    } catch (caught) {
      if (caught instanceof DomainError && caught.details.field) {
        return this.render(ctx, {
          form,
          options,
          errors: { [caught.details.field]: caught.message },
        })
      }
      throw caught
    }

    const rows = page.rows as AuditEntry[]
    const actorIds = [
      ...new Set(rows.map((entry) => entry.actorUserId).filter((id): id is number => !!id)),
    ]
    const actors = actorIds.length
      ? await User.forOrganisation(ctx.organisation.id).whereIn('id', actorIds)
      : []
    const actorName = new Map(
      actors.map((user) => [user.id, user.fullName || user.email || `#${user.id}`])
    )
    const kept = Object.fromEntries(FILTERS.map((key) => [key, filters[key]]))

    return this.render(ctx, {
      form,
      options,
      errors: {},
      entries: rows.map((entry) => ({
        id: entry.id,
        created: formatTimestamp(entry.createdAt),
        event: entry.event,
        action: entry.action,
        model: entry.model,
        objectId: entry.objectId,
        objectUrl:
          entry.model === 'User' && entry.objectId ? `/admin/users/${entry.objectId}` : null,
        meetingId: entry.meetingId,
        actorId: entry.actorUserId,
        actorName: entry.actorUserId
          ? (actorName.get(entry.actorUserId) ?? `#${entry.actorUserId}`)
          : null,
        source: entry.source,
        changes: JSON.stringify(entry.changes ?? {}),
        changeLines: changeLines(entry.changes),
      })),
      pages: pageLinks('/admin/audit', { ...kept, per_page: filters.per_page }, page.meta),
    })
  }

  private render(ctx: HttpContext, data: Record<string, unknown>) {
    return ctx.view.render('pages/admin/audit', { entries: [], pages: null, ...data })
  }

  /** The values present in this organisation's log, for the model and event selects. */
  private async filterOptions(organisationId: number) {
    const distinct = async (column: 'model' | 'event') => {
      const rows = await AuditEntry.forOrganisation(organisationId).distinct(column).orderBy(column)
      return rows.map((row) => ({ value: row[column], label: row[column] }))
    }
    return {
      models: await distinct('model'),
      events: await distinct('event'),
      actions: ACTIONS.map((value) => ({ value, label: value })),
    }
  }
}

function fieldMessages(error: unknown): Record<string, string> {
  if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
  const messages = error.messages as Array<{ field: string; message: string }>
  return Object.fromEntries(messages.map(({ field, message }) => [field, message]))
}
