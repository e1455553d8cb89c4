import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { userListValidator } from '#validators/user'
import { userSummary } from '#transformers/user_transformer'
import { paginate, searchUsers } from '#services/queries'
import MeetingRolesController from '#controllers/api/meeting_roles_controller'

/**
 * GET /api/users (api.md §6.2). Without `meeting`, organisation managers only;
 * with `meeting`, participants of that meeting (MeetingRolesController.users).
 */
export default class UsersController {
  async index(ctx: HttpContext) {
    // With `meeting`: the participants lookup of the meetings module.
    if (ctx.request.qs().meeting !== undefined) return new MeetingRolesController().users(ctx)
    await ctx.bouncer.with('OrganisationPolicy').authorize('listUsers', ctx.organisation)
    const filters = await ctx.request.validateUsing(userListValidator, { data: ctx.request.qs() })
    const query = User.forOrganisation(ctx.organisation.id).orderBy('users.id')
    if (filters.search) searchUsers(query, filters.search)
    if (filters.user_id_in) query.whereIn('users.id', filters.user_id_in.split(',').map(Number))
    const page = await paginate(query, filters)
    return { data: page.rows.map((user) => userSummary(user, true)), meta: page.meta }
  }
}
