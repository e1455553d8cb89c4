import db from '@adonisjs/lucid/services/db'
import type Room from '#models/room'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import SpeakerListSystem from '#models/speaker_list_system'
import SpeakerList from '#models/speaker_list'
import User from '#models/user'
import { isMeetingModerator, type SpeakerActor } from '#domain/speakers/permissions'
import { highlightsOf, roomWithExtras } from '#actions/rooms/rooms'
import { openTurnsOf } from '#services/speaker_queue'
import {
  speakerListPayload,
  speakerPayload,
  speakerSystemPayload,
} from '#transformers/speaker_transformer'

/**
 * The projector's complete state in one read (domain §13): the room, its
 * agenda item, highlighted proposals, the poll, the active speaker list with
 * its turns (timers computed at `server_time`) and the names to show.
 * Private agenda items (and their proposals) are shown to moderators only.
 */
export async function roomProjection(room: Room, actor: SpeakerActor) {
  const now = Date.now()
  const moderator = isMeetingModerator(actor)
  const item = room.agendaItemId
    ? await AgendaItem.findInOrganisation(room.organisationId, room.agendaItemId)
    : null
  const visibleItem = item && (moderator || item.state !== 'private') ? item : null

  const highlightIds = room.sendProposals ? await highlightsOf(room) : []
  const proposals = highlightIds.length
    ? await Proposal.forOrganisation(room.organisationId).whereIn('id', highlightIds)
    : []
  const privateItems = new Set(
    moderator
      ? []
      : (
          await AgendaItem.forOrganisation(room.organisationId)
            .whereIn(
              'id',
              proposals.map((proposal) => proposal.agendaItemId)
            )
            .where('state', 'private')
        ).map((row) => row.id)
  )
  const highlighted = highlightIds
    .map((id) => proposals.find((proposal) => proposal.id === id))
    .filter(
      (proposal): proposal is Proposal => !!proposal && !privateItems.has(proposal.agendaItemId)
    )
    .map((proposal) => ({
      id: proposal.id,
      prop_id: proposal.propId,
      title: proposal.title,
      body: proposal.body,
      state: proposal.state,
      agenda_item: proposal.agendaItemId,
    }))

  let poll: Record<string, unknown> | null = null
  if (room.pollId !== null && (await db.connection().schema.hasTable('polls'))) {
    const row = await db
      .from('polls')
      .where('id', room.pollId)
      .where('meeting_id', room.meetingId)
      .first()
    if (row) poll = { id: row.id, title: row.title ?? null, state: row.state ?? null }
  }

  const system = await SpeakerListSystem.forOrganisation(room.organisationId)
    .where('room_id', room.id)
    .first()
  let activeList = null
  let speakers: ReturnType<typeof speakerPayload>[] = []
  if (system && system.activeListId !== null && room.sendSls) {
    const list = await SpeakerList.findInOrganisation(room.organisationId, system.activeListId)
    if (list) {
      const turns = await openTurnsOf(list)
      activeList = speakerListPayload(list, system, turns)
      speakers = turns.map((turn) => speakerPayload(turn, system, now))
    }
  }
  const userIds = [...new Set(speakers.map((turn) => turn.user))]
  const users = userIds.length
    ? await User.forOrganisation(room.organisationId).whereIn('id', userIds)
    : []
  return {
    server_time: new Date(now).toISOString(),
    room: await roomWithExtras(room),
    agenda_item: visibleItem
      ? { id: visibleItem.id, title: visibleItem.title, state: visibleItem.state }
      : null,
    highlighted,
    poll,
    speaker_system: system ? speakerSystemPayload(system) : null,
    active_list: activeList,
    speakers,
    users: Object.fromEntries(
      users.map((user) => [
        user.id,
        [user.firstName, user.lastName].filter(Boolean).join(' ') || user.userid || `#${user.id}`,
      ])
    ),
  }
}
