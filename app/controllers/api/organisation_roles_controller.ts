import type { HttpContext } from '@adonisjs/core/http'
import OrganisationRole from '#models/organisation_role'
import { fieldError } from '#domain/errors'
import { organisationRoles } from '#domain/permissions/roles'
import { changeRolesValidator, listRolesValidator } from '#validators/roles'
import { userSummary } from '#transformers/user_transformer'
import { requestActor } from '#middleware/authenticate_middleware'
import { paginate, searchUsers } from '#services/queries'
import { forgetActorFacts } from '#services/actor_facts'
import ChangeOrganisationRoles from '#actions/roles/change_organisation_roles'

/** Organisation role assignments (api.md §6.4 with {ctx} = organisation-roles). */
export default class OrganisationRolesController {
  async index(ctx: HttpContext) {
    await ctx.bouncer.with('OrganisationPolicy').authorize('viewRoles', ctx.organisation)
    const filters = await ctx.request.validateUsing(listRolesValidator, { data: ctx.request.qs() })
    this.assertContext(ctx, filters.context)

    const query = OrganisationRole.forOrganisation(ctx.organisation.id)
      .preload('user')
      .orderBy('organisation_roles.id')
    if (filters.user_id_in) query.whereIn('user_id', filters.user_id_in.split(',').map(Number))
    if (filters.search) query.whereHas('user', (users) => searchUsers(users, filters.search!))
    if (filters.roles) {
      const wanted = filters.roles.split(',')
      query.where((any) => {
        // JSON column as text: PostgreSQL has no LIKE on json.
        for (const role of wanted) any.orWhereRaw('CAST(assigned AS TEXT) LIKE ?', [`%"${role}"%`])
      })
    }
    const page = await paginate(query, filters)
    return {
      data: page.rows.map((row) => ({
        id: row.id,
        model: 'organisation',
        context: row.organisationId,
        user: userSummary(row.user, true),
        assigned: row.assigned,
      })),
      meta: page.meta,
    }
  }

  async available() {
    return {
      data: Object.values(organisationRoles).map((role) => ({ ...role, model: 'organisation' })),
    }
  }

  async add(ctx: HttpContext) {
    return this.change(ctx, 'add')
  }

  async remove(ctx: HttpContext) {
    return this.change(ctx, 'remove')
  }

  private async change(ctx: HttpContext, mode: 'add' | 'remove') {
    await ctx.bouncer.with('OrganisationPolicy').authorize('manage', ctx.organisation)
    const input = await ctx.request.validateUsing(changeRolesValidator)
    this.assertContext(ctx, input.context)
    const results = await new ChangeOrganisationRoles().execute({
      organisation: ctx.organisation,
      userIds: input.users,
      roles: input.roles,
      mode,
      actor: requestActor(ctx),
    })
    forgetActorFacts(ctx.currentUser!)
    return { results }
  }

  /** The context may be omitted; when given it must be the host's organisation. */
  private assertContext(ctx: HttpContext, context: number | undefined) {
    if (context !== undefined && context !== ctx.organisation.id) {
      throw fieldError('context', 'Unknown organisation', 'exists')
    }
  }
}
