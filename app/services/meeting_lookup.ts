import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import { fieldError, notFound } from '#domain/errors'
import MeetingPolicy from '#policies/meeting_policy'
import AgendaItemPolicy from '#policies/agenda_item_policy'

/**
 * Loading objects for API controllers, visibility first (domain §4.1): a
 * meeting (or item) the caller may neither read nor preview is a 404, so its
 * existence is not revealed; the specific permission check comes after (403).
 */
export async function visibleMeeting(ctx: HttpContext, id: number | string): Promise<Meeting> {
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
  if (!meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting)))
    throw notFound('No such meeting')
  return meeting
}

/**
 * A meeting named in a body or query field (`meeting`, `context`): an unknown
 * or invisible one is a 422 on that field.
 */
export async function meetingFromField(
  ctx: HttpContext,
  id: number,
  field = 'meeting'
): Promise<Meeting> {
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
  if (!meeting || (await ctx.bouncer.with(MeetingPolicy).denies('see', meeting))) {
    throw fieldError(field, 'No such meeting', 'exists')
  }
  return meeting
}

export async function visibleAgendaItem(ctx: HttpContext, id: number | string) {
  const item = await AgendaItem.findInOrganisation(ctx.organisation.id, id)
  if (!item) throw notFound('No such agenda item')
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, item.meetingId)
  if (!meeting || (await ctx.bouncer.with(AgendaItemPolicy).denies('view', item, meeting))) {
    throw notFound('No such agenda item')
  }
  return { item, meeting }
}
