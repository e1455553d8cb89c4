import type { HttpContext } from '@adonisjs/core/http'
import { auditListValidator } from '#validators/audit'
import { auditEntryForApi } from '#transformers/audit_entry_transformer'
import { auditQuery } from '#services/audit_query'
import { paginate } from '#services/queries'

/**
 * GET /api/audit-entries (api.md §6.20): organisation managers for the whole
 * organisation; moderators for their meeting arrive with meetings.
 */
export default class AuditEntriesController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('readAudit', ctx.organisation)
    const filters = await ctx.request.validateUsing(auditListValidator, { data: ctx.request.qs() })
    const page = await paginate(
      auditQuery(ctx.organisation.id, filters).orderBy('id', 'desc'),
      filters
    )
    return { data: page.rows.map(auditEntryForApi), meta: page.meta }
  }
}
