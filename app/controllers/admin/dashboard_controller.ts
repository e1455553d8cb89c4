import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import AuditEntry from '#models/audit_entry'
import OrganisationRole from '#models/organisation_role'
import { organisationRolesOf } from '#services/actor_facts'
import { organisationRoles } from '#domain/permissions/roles'
import { formatTimestamp } from '#services/admin_pages'

/** Start page: a short overview for managers, a friendly note for everyone else. */
export default class DashboardController {
  async show(ctx: HttpContext) {
    const { bouncer, organisation, view } = ctx
    const isManager = await bouncer.with('OrganisationPolicy').allows('manage', organisation)
    const roles = (await organisationRolesOf(ctx.currentUser!)).map(
      (code) => organisationRoles[code]?.title ?? code
    )
    if (!isManager) return view.render('pages/admin/dashboard', { isManager, roles })

    const count = async (query: {
      count: (...args: any[]) => Promise<Array<{ $extras: Record<string, unknown> }>>
    }) => Number((await query.count('* as total'))[0].$extras.total)
    const users = await count(User.forOrganisation(organisation.id))
    const inactive = await count(User.forOrganisation(organisation.id).where('is_active', false))
    // `assigned` is a JSON column (no portable LIKE on PostgreSQL's json); role rows are few.
    const roleRows = await OrganisationRole.forOrganisation(organisation.id).select('assigned')
    const managers = roleRows.filter((row) => row.assigned.includes('org_manager')).length
    const recent = await AuditEntry.forOrganisation(organisation.id).orderBy('id', 'desc').limit(8)
    return view.render('pages/admin/dashboard', {
      isManager,
      roles,
      stats: { users, inactive, managers },
      recent: recent.map((entry) => ({
        created: formatTimestamp(entry.createdAt),
        event: entry.event,
        model: entry.model,
        objectId: entry.objectId,
      })),
    })
  }
}
