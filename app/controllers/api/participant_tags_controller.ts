import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import { notFound, permissionDenied } from '#domain/errors'
import { canSeeMeeting } from '#domain/permissions/meeting'
import { canSetOwnTags, canUseOwnTags } from '#domain/permissions/participant_tags'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { ownTags, tagsPayload } from '#services/participant_tags'
import { requestActor } from '#middleware/authenticate_middleware'
import SetParticipantTags from '#actions/participant_tags/set_participant_tags'
import RemoveTagNamespaces from '#actions/participant_tags/remove_tag_namespaces'
import DeleteParticipantTags from '#actions/participant_tags/delete_participant_tags'
import { removeNamespacesValidator, setTagsValidator } from '#validators/participants'

/**
 * The caller's own participant tags in a meeting (api.md §6.7, domain §15.4).
 * There is no user in the path: nobody reads or changes another user's tags
 * through the API (others' tags reach clients only as `ptags.*` on the meeting channel).
 */
export default class ParticipantTagsController {
  async #load(ctx: HttpContext) {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, ctx.params.id)
    const actor = meeting ? await meetingActor(ctx.currentUser, meeting) : null
    // Visibility first: a meeting the caller cannot see is a 404 (api.md §4).
    if (!meeting || !canSeeMeeting(actor, meetingFacts(meeting)))
      throw notFound('Meeting not found')
    return { meeting, actor, facts: meetingFacts(meeting), userId: ctx.currentUser!.id }
  }

  async show(ctx: HttpContext) {
    const { meeting, actor, facts, userId } = await this.#load(ctx)
    if (!canUseOwnTags(actor, facts)) throw permissionDenied('ptags.view')
    const row = await ownTags(meeting, userId)
    if (!row) return ctx.response.noContent()
    return tagsPayload(meeting.id, userId, row.tags)
  }

  async set(ctx: HttpContext) {
    const { tags } = await ctx.request.validateUsing(setTagsValidator)
    const { meeting, actor, facts, userId } = await this.#load(ctx)
    if (!canSetOwnTags(actor, facts)) throw permissionDenied('ptags.set')
    const row = await new SetParticipantTags().execute({
      meeting,
      userId,
      tags,
      actor: requestActor(ctx),
    })
    return tagsPayload(meeting.id, userId, row.tags)
  }

  async removeNamespaces(ctx: HttpContext) {
    const { ns } = await ctx.request.validateUsing(removeNamespacesValidator)
    const { meeting, actor, facts, userId } = await this.#load(ctx)
    if (!canUseOwnTags(actor, facts)) throw permissionDenied('ptags.remove')
    const row = await new RemoveTagNamespaces().execute({
      meeting,
      userId,
      namespaces: ns,
      actor: requestActor(ctx),
    })
    if (!row) return ctx.response.noContent()
    return tagsPayload(meeting.id, userId, row.tags)
  }

  async destroy(ctx: HttpContext) {
    const { meeting, actor, facts, userId } = await this.#load(ctx)
    if (!canUseOwnTags(actor, facts)) throw permissionDenied('ptags.delete')
    await new DeleteParticipantTags().execute({ meeting, userId, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }
}
