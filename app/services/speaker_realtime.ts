import Meeting from '#models/meeting'
import Room from '#models/room'
import AgendaItem from '#models/agenda_item'
import SpeakerList from '#models/speaker_list'
import SpeakerListSystem from '#models/speaker_list_system'
import { registerChannelAuthoriser } from '#realtime/authorisers'
import { batch, registerSection } from '#realtime/snapshot_sections'
import { canViewRoom, isMeetingModerator, isMeetingParticipant } from '#domain/speakers/permissions'
import { speakerActor } from '#services/speaker_facts'
import { openTurnsOf } from '#services/speaker_queue'
import { highlightsOf, roomWithExtras } from '#actions/rooms/rooms'
import {
  speakerListPayload,
  speakerPayload,
  speakerSystemPayload,
} from '#transformers/speaker_transformer'

/**
 * The room and speaker-list channels (api.md §7.2): who may subscribe, and
 * their snapshot sections (domain §17.3). Registered once at boot from
 * start/routes/api_speakers.ts.
 *
 * - room: `room.view` (any meeting role, or a role in the room's speaker system); the room belongs to the meeting;
 * - speaker list: participant; the list belongs to the meeting and its agenda item (if any) is visible.
 */
let registered = false

export function registerSpeakerChannels() {
  if (registered) return
  registered = true

  registerChannelAuthoriser('room', async ({ user, organisation }, { meetingId, roomId }) => {
    const room = await Room.forOrganisation(organisation.id)
      .where('id', roomId)
      .where('meeting_id', meetingId)
      .first()
    const meeting = room ? await Meeting.findInOrganisation(organisation.id, meetingId) : null
    if (!room || !meeting) return 'not_found'
    const system = await SpeakerListSystem.forOrganisation(organisation.id)
      .where('room_id', room.id)
      .first()
    return canViewRoom(await speakerActor(user, meeting, system)) ? 'allow' : 'not_found'
  })

  registerChannelAuthoriser(
    'speakerList',
    async ({ user, organisation }, { meetingId, listId }) => {
      const list = await SpeakerList.forOrganisation(organisation.id)
        .where('id', listId)
        .where('meeting_id', meetingId)
        .first()
      const meeting = list ? await Meeting.findInOrganisation(organisation.id, meetingId) : null
      if (!list || !meeting) return 'not_found'
      const actor = await speakerActor(user, meeting, null)
      if (!isMeetingParticipant(actor)) return 'not_found'
      if (list.agendaItemId !== null && !isMeetingModerator(actor)) {
        const item = await AgendaItem.findInOrganisation(organisation.id, list.agendaItemId)
        if (!item || item.state === 'private') return 'not_found'
      }
      return 'allow'
    }
  )

  // Meeting channel (domain §17.3): the meeting's rooms and speaker systems.
  registerSection(
    'meeting',
    'room.rooms',
    async ({ organisation, params }) => {
      const rooms = await Room.forOrganisation(organisation.id)
        .where('meeting_id', params.meetingId)
        .orderBy('id')
      return [batch('room.changed', await Promise.all(rooms.map((room) => roomWithExtras(room))))]
    },
    { shared: true }
  )
  registerSection(
    'meeting',
    'speaker.systems',
    async ({ organisation, params }) => {
      const systems = await SpeakerListSystem.forOrganisation(organisation.id)
        .where('meeting_id', params.meetingId)
        .orderBy('id')
      return [batch('speaker_system.changed', systems.map(speakerSystemPayload))]
    },
    { shared: true }
  )

  // Room channel: highlighted proposals, then the active list and all its turns (domain §13).
  registerSection(
    'room',
    'room.state',
    async ({ organisation, params }) => {
      const room = await Room.forOrganisation(organisation.id).where('id', params.roomId).first()
      if (!room) return []
      const messages = [
        {
          type: 'room.highlighted',
          data: {
            id: room.id,
            meeting: room.meetingId,
            highlighted: await highlightsOf(room),
            token: room.token,
          },
        },
      ]
      const system = await SpeakerListSystem.forOrganisation(organisation.id)
        .where('room_id', room.id)
        .first()
      if (!system || system.activeListId === null) return messages
      const list = await SpeakerList.findInOrganisation(organisation.id, system.activeListId)
      if (!list) return messages
      const turns = await openTurnsOf(list)
      const now = Date.now()
      return [
        ...messages,
        { type: 'speaker_list.changed', data: speakerListPayload(list, system, turns) },
        batch(
          'speaker.changed',
          turns.map((turn) => speakerPayload(turn, system, now))
        ),
      ]
    },
    { shared: true }
  )

  registerSection(
    'speakerList',
    'speaker_list.state',
    async ({ organisation, params }) => {
      const list = await SpeakerList.findInOrganisation(organisation.id, params.listId)
      if (!list) return []
      const system = await SpeakerListSystem.findInOrganisation(
        organisation.id,
        list.speakerSystemId
      )
      if (!system) return []
      const turns = await openTurnsOf(list)
      const now = Date.now()
      return [
        { type: 'speaker_list.changed', data: speakerListPayload(list, system, turns) },
        batch(
          'speaker.changed',
          turns.map((turn) => speakerPayload(turn, system, now))
        ),
      ]
    },
    { shared: true }
  )
}
