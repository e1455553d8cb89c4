import type { HttpContext } from '@adonisjs/core/http'
import { commaQuery } from '#validators/meetings'
import MeetingRole from '#models/meeting_role'
import { meetingRoles } from '#domain/permissions/roles'
import { isModerator } from '#domain/permissions/meeting'
import { isOrgManager } from '#domain/permissions/organisation'
import MeetingPolicy from '#policies/meeting_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { paginate, searchUsers } from '#services/queries'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { meetingFromField } from '#services/meeting_lookup'
import { userSummary } from '#transformers/user_transformer'
import {
  changeMeetingRolesValidator,
  listMeetingRolesValidator,
  meetingUsersValidator,
} from '#validators/meetings'
import User from '#models/user'
import { normaliseMeetingRoles } from '#actions/meetings/change_meeting_roles'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'

/** Meeting role assignments (api.md §6.4 with {ctx} = meeting-roles, context = meeting id). */
export default class MeetingRolesController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listMeetingRolesValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const meeting = await meetingFromField(ctx, filters.context, 'context')
    await ctx.bouncer.with(MeetingPolicy).authorize('viewRoles', meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    // E-mail addresses only for moderators and organisation managers (api.md §2).
    const showEmails =
      isModerator(actor, meetingFacts(meeting)) ||
      (!!actor && isOrgManager(actor, meeting.organisationId))

    const query = MeetingRole.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .preload('user')
      .orderBy('meeting_roles.id')
    if (filters.user_id_in) query.whereIn('user_id', filters.user_id_in.split(',').map(Number))
    if (filters.search) query.whereHas('user', (users) => searchUsers(users, filters.search!))
    if (filters.roles) {
      const wanted = filters.roles.split(',')
      query.where((any) => {
        // cast: `like` on a JSON column is not valid on PostgreSQL
        for (const role of wanted) any.orWhereRaw('cast(assigned as text) like ?', [`%"${role}"%`])
      })
    }
    const page = await paginate(query, filters)
    return {
      data: page.rows.map((row) => ({
        id: row.id,
        model: 'meeting',
        context: row.meetingId,
        user: userSummary(row.user, showEmails || row.userId === ctx.currentUser?.id),
        assigned: row.assigned,
      })),
      meta: page.meta,
    }
  }

  /**
   * `GET /api/users?meeting=` (api.md §6.2): participants of the meeting,
   * searched among them; `any_roles` keeps users holding one of the roles.
   * Participants may look people up; e-mails as in api.md §2.
   */
  async users(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(meetingUsersValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const meeting = await meetingFromField(ctx, filters.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('viewRoles', meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const showEmails =
      isModerator(actor, meetingFacts(meeting)) ||
      (!!actor && isOrgManager(actor, meeting.organisationId))
    const roles = filters.any_roles
      ? normaliseMeetingRoles(filters.any_roles.split(','), 'any_roles')
      : []
    const query = User.forOrganisation(ctx.organisation.id)
      .whereIn('users.id', (rows) => {
        rows.from('meeting_roles').select('user_id').where('meeting_id', meeting.id)
        if (roles.length > 0) {
          rows.where((any) => {
            for (const role of roles)
              any.orWhereRaw('cast(assigned as text) like ?', [`%"${role}"%`])
          })
        }
      })
      .orderBy('users.id')
    if (filters.search) searchUsers(query, filters.search)
    if (filters.user_id_in) query.whereIn('users.id', filters.user_id_in.split(',').map(Number))
    const page = await paginate(query, filters)
    return {
      data: page.rows.map((user) =>
        userSummary(user, showEmails || user.id === ctx.currentUser?.id)
      ),
      meta: page.meta,
    }
  }

  async available() {
    return { data: Object.values(meetingRoles).map((role) => ({ ...role, model: 'meeting' })) }
  }

  async add(ctx: HttpContext) {
    return this.change(ctx, 'add')
  }

  async remove(ctx: HttpContext) {
    return this.change(ctx, 'remove')
  }

  private async change(ctx: HttpContext, mode: 'add' | 'remove') {
    const input = await ctx.request.validateUsing(changeMeetingRolesValidator)
    const meeting = await meetingFromField(ctx, input.context, 'context')
    await ctx.bouncer.with(MeetingPolicy).authorize('changeRoles', meeting)
    const results = await new ChangeMeetingRoles().execute({
      meeting,
      userIds: input.users,
      roles: input.roles,
      mode,
      actor: requestActor(ctx),
    })
    return { results }
  }
}
