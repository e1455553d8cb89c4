import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import { notFound, permissionDenied } from '#domain/errors'
import { canSeeMeeting } from '#domain/permissions/meeting'
import {
  canPurgeActiveUsers,
  canSetActive,
  canViewActiveUsers,
} from '#domain/permissions/active_users'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { requestActor } from '#middleware/authenticate_middleware'
import { activeUserIds, isActiveUsersEnabled } from '#realtime/active_users'
import SetActive from '#actions/active_users/set_active'
import PurgeActiveUsers from '#actions/active_users/purge_active_users'
import { activeValidator, purgeValidator } from '#validators/realtime'

/**
 * Active users (api.md §6.7, domain §15.2). The permission checks call the
 * domain predicates directly: the meeting policy has no active-user abilities.
 */
export default class ActiveUsersController {
  async #load(ctx: HttpContext) {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, ctx.params.id)
    const actor = meeting ? await meetingActor(ctx.currentUser, meeting) : null
    // Visibility first: a meeting the caller cannot see is a 404 (api.md §4).
    if (!meeting || !canSeeMeeting(actor, meetingFacts(meeting)))
      throw notFound('Meeting not found')
    return {
      meeting,
      actor,
      facts: meetingFacts(meeting),
      componentEnabled: await isActiveUsersEnabled(meeting),
    }
  }

  async index(ctx: HttpContext) {
    const { meeting, actor, facts, componentEnabled } = await this.#load(ctx)
    if (!canViewActiveUsers(actor, facts, { componentEnabled }))
      throw permissionDenied('active_users.view')
    return { meeting: meeting.id, users: await activeUserIds(meeting) }
  }

  async active(ctx: HttpContext) {
    const { active } = await ctx.request.validateUsing(activeValidator)
    const { meeting, actor, facts, componentEnabled } = await this.#load(ctx)
    if (!canSetActive(actor, facts, { componentEnabled }))
      throw permissionDenied('active_users.set')
    const outcome = await new SetActive().execute({
      meeting,
      userId: ctx.currentUser!.id,
      active,
      actor: requestActor(ctx),
    })
    // 201 created / 200 already active / 204 removed (or nothing to remove).
    if (outcome === 'created')
      return ctx.response.created({ meeting: meeting.id, user: ctx.currentUser!.id, active })
    if (outcome === 'exists') return { meeting: meeting.id, user: ctx.currentUser!.id, active }
    return ctx.response.noContent()
  }

  async purge(ctx: HttpContext) {
    const { hours } = await ctx.request.validateUsing(purgeValidator)
    const { meeting, actor, facts } = await this.#load(ctx)
    if (!canPurgeActiveUsers(actor, facts)) throw permissionDenied('active_users.purge')
    const count = await new PurgeActiveUsers().execute({
      meeting,
      hours: hours ?? 1,
      actor: requestActor(ctx),
    })
    return { count }
  }
}
