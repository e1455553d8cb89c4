import type { HttpContext } from '@adonisjs/core/http'
import SpeakerSystemRole from '#models/speaker_system_role'
import User from '#models/user'
import SpeakerPolicy from '#policies/speaker_policy'
import { speakerSystemRoles } from '#domain/permissions/roles'
import { isMeetingModerator } from '#domain/speakers/permissions'
import { requestActor } from '#middleware/authenticate_middleware'
import { systemContext } from '#services/speaker_lookup'
import { userSummary } from '#transformers/user_transformer'
import { searchUsers } from '#services/queries'
import { rolesChangeValidator, rolesListValidator } from '#validators/speakers'
import { ChangeSpeakerSystemRoles } from '#actions/speakers/roles_budgets'

/** Speaker-system role assignments (api.md §6.4 with {ctx} = speaker-system-roles). */
export default class SpeakerSystemRolesController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(rolesListValidator, { data: ctx.request.qs() })
    const context = await systemContext(ctx, filters.context, 'context')
    const query = SpeakerSystemRole.forOrganisation(ctx.organisation.id)
      .where('speaker_system_id', context.system.id)
      .orderBy('id')
    if (filters.user_id_in) query.whereIn('user_id', filters.user_id_in.split(',').map(Number))
    if (filters.search) {
      const matching = await searchUsers(
        User.forOrganisation(ctx.organisation.id),
        filters.search
      ).select('id')
      query.whereIn('user_id', [...matching.map((user) => user.id), 0])
    }
    let rows = await query
    if (filters.roles) {
      const wanted = filters.roles.split(',')
      rows = rows.filter((row) => row.assigned.some((role) => wanted.includes(role)))
    }
    const users = new Map(
      (
        await User.forOrganisation(ctx.organisation.id).whereIn(
          'id',
          rows.map((row) => row.userId)
        )
      ).map((user) => [user.id, user])
    )
    const showEmails = isMeetingModerator(context.actor)
    return {
      data: rows.map((row) => ({
        id: row.id,
        model: 'speaker_system',
        context: row.speakerSystemId,
        user: userSummary(users.get(row.userId)!, showEmails || row.userId === ctx.currentUser?.id),
        assigned: row.assigned,
      })),
    }
  }

  async available() {
    return {
      data: Object.values(speakerSystemRoles).map((role) => ({ ...role, model: 'speaker_system' })),
    }
  }

  async add(ctx: HttpContext) {
    return this.change(ctx, 'add')
  }

  async remove(ctx: HttpContext) {
    return this.change(ctx, 'remove')
  }

  private async change(ctx: HttpContext, mode: 'add' | 'remove') {
    const input = await ctx.request.validateUsing(rolesChangeValidator)
    const context = await systemContext(ctx, input.context, 'context')
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('changeSystemRoles', context.actor, context.facts)
    const results = await new ChangeSpeakerSystemRoles().execute({
      system: context.system,
      userIds: input.users,
      roles: input.roles,
      mode,
      actor: requestActor(ctx),
    })
    return { results }
  }
}
