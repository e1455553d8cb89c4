import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import Room from '#models/room'
import SpeakerListSystem from '#models/speaker_list_system'
import SpeakerList from '#models/speaker_list'
import Speaker from '#models/speaker'
import { fieldError, notFound } from '#domain/errors'
import { canViewRoom, canViewSpeakers, type SpeakerActor } from '#domain/speakers/permissions'
import { speakerActor, systemFacts } from '#services/speaker_facts'
import { meetingFromField } from '#services/meeting_lookup'

/**
 * Loading speaker objects for controllers, visibility first (domain §4.1): an
 * object the caller may not view (not a participant, no system role) is a
 * 404; the specific permission check follows in the controller (403).
 */
export interface SystemContext {
  meeting: Meeting
  system: SpeakerListSystem
  actor: SpeakerActor
  facts: ReturnType<typeof systemFacts>
}

async function meetingOf(ctx: HttpContext, meetingId: number) {
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, meetingId)
  if (!meeting) throw notFound()
  return meeting
}

export async function systemContext(
  ctx: HttpContext,
  systemId: number | string,
  field?: string
): Promise<SystemContext> {
  const system = await SpeakerListSystem.findInOrganisation(ctx.organisation.id, systemId)
  const missing = () =>
    field
      ? fieldError(field, 'No such speaker system', 'exists')
      : notFound('No such speaker system')
  if (!system) throw missing()
  const meeting = await meetingOf(ctx, system.meetingId)
  const actor = await speakerActor(ctx.currentUser, meeting, system)
  if (!canViewSpeakers(actor)) throw missing()
  return { meeting, system, actor, facts: systemFacts(system, meeting) }
}

export async function listContext(ctx: HttpContext, listId: number | string, field?: string) {
  const list = await SpeakerList.findInOrganisation(ctx.organisation.id, listId)
  const missing = () =>
    field ? fieldError(field, 'No such speaker list', 'exists') : notFound('No such speaker list')
  if (!list) throw missing()
  try {
    return { list, ...(await systemContext(ctx, list.speakerSystemId)) }
  } catch {
    throw missing()
  }
}

export async function turnContext(ctx: HttpContext, turnId: number | string) {
  const turn = await Speaker.findInOrganisation(ctx.organisation.id, turnId)
  if (!turn) throw notFound('No such speaker')
  try {
    return { turn, ...(await listContext(ctx, turn.speakerListId)) }
  } catch {
    throw notFound('No such speaker')
  }
}

export async function roomContext(ctx: HttpContext, roomId: number | string) {
  const room = await Room.findInOrganisation(ctx.organisation.id, roomId)
  if (!room) throw notFound('No such room')
  const meeting = await meetingOf(ctx, room.meetingId)
  const system = await SpeakerListSystem.forOrganisation(ctx.organisation.id)
    .where('room_id', room.id)
    .first()
  const actor = await speakerActor(ctx.currentUser, meeting, system)
  if (!canViewRoom(actor)) throw notFound('No such room')
  return { room, meeting, system, actor }
}

/** A meeting named in a body/query field: 422 on that field when unknown or invisible (as meetingFromField). */
export async function speakerMeeting(ctx: HttpContext, meetingId: number, field = 'meeting') {
  const meeting = await meetingFromField(ctx, meetingId, field)
  const actor = await speakerActor(ctx.currentUser, meeting, null)
  return { meeting, actor }
}
