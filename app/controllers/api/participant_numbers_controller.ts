import type { HttpContext } from '@adonisjs/core/http'
import { permissionDenied } from '#domain/errors'
import { canViewParticipantNumbers } from '#domain/permissions/participant_tags'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { meetingFromField } from '#services/meeting_lookup'
import { numberPayload, numbersOf } from '#services/participant_numbers'
import { participantNumbersQuery } from '#validators/participants'

/**
 * `GET /api/participant-numbers?meeting=` (api.md §6.7, domain §15.5). A
 * meeting without a PN system (the optional module is off) has no numbers:
 * an empty list, not an error, so clients need no second request to find out.
 */
export default class ParticipantNumbersController {
  async index(ctx: HttpContext) {
    const query = await ctx.request.validateUsing(participantNumbersQuery, {
      data: ctx.request.qs(),
    })
    // An invisible meeting named in a query field is 422 `exists` (docs/meetings.md).
    const meeting = await meetingFromField(ctx, query.meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    if (!canViewParticipantNumbers(actor, meetingFacts(meeting)))
      throw permissionDenied('participant_numbers.view')
    return { data: (await numbersOf(meeting)).map(numberPayload) }
  }
}
