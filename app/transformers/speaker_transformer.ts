import type Room from '#models/room'
import type SpeakerListSystem from '#models/speaker_list_system'
import type SpeakerList from '#models/speaker_list'
import type Speaker from '#models/speaker'
import { channels } from '#realtime/channels'
import type { Announce, OutgoingMessage } from '#realtime/publish'
import { elapsedMs, remainingSeconds } from '#domain/speakers/timers'

/** API shapes of api.md §6.15, §6.16 and §11.4 (snake_case). */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function speakerSystemPayload(system: SpeakerListSystem) {
  return {
    id: system.id,
    rev: system.rev,
    meeting: system.meetingId,
    room: system.roomId,
    state: system.state,
    active_list: system.activeListId,
    method_name: system.methodName,
    settings: system.settings ?? {},
    safe_positions: system.safePositions,
    meeting_roles_to_speaker: system.meetingRolesToSpeaker ?? [],
    show_time: system.showTime,
    speech_seconds: system.speechSeconds,
    point_of_order_seconds: system.pointOfOrderSeconds,
    point_of_order_when_closed: system.pointOfOrderWhenClosed,
    point_of_order_categories: system.pointOfOrderCategories ?? [],
    enforce_time_budgets: system.enforceTimeBudgets,
  }
}

/**
 * `current` is the user id of the current speaker, `queue` the `order` as user
 * ids (api.md §6.15); `queue_entries` adds turn id, kind and category so
 * clients can show points of order (api.md §11.4).
 */
export function speakerListPayload(
  list: SpeakerList,
  system: SpeakerListSystem,
  openTurns: readonly Speaker[]
) {
  const byId = new Map(openTurns.map((turn) => [turn.id, turn]))
  const entries = list.order
    .map((turnId) => byId.get(turnId))
    .filter((turn): turn is Speaker => !!turn)
  const current = openTurns.find((turn) => turn.isSpeaking) ?? null
  return {
    id: list.id,
    rev: list.rev,
    meeting: list.meetingId,
    room: system.roomId,
    speaker_system: list.speakerSystemId,
    agenda_item: list.agendaItemId,
    title: list.title,
    state: list.state,
    current: current?.userId ?? null,
    current_speaker: current?.id ?? null,
    queue: entries.map((turn) => turn.userId),
    queue_entries: entries.map((turn) => ({
      speaker: turn.id,
      user: turn.userId,
      kind: turn.kind,
      category: turn.category,
      speaking: turn.isSpeaking,
    })),
  }
}

/** A turn; timer fields are computed at `now` and stamped with `timer_at` so clients can extrapolate. */
export function speakerPayload(turn: Speaker, system: SpeakerListSystem, now: number) {
  const speaking = turn.isSpeaking
  const clock = turn.clock
  return {
    id: turn.id,
    rev: turn.rev,
    meeting: turn.meetingId,
    room: system.roomId,
    speaker_list: turn.speakerListId,
    user: turn.userId,
    kind: turn.kind,
    category: turn.category,
    created: iso(turn.createdMs),
    started: iso(turn.startedMs),
    seconds: turn.seconds,
    note: turn.note,
    time_limit: turn.timeLimit,
    paused: speaking && turn.pausedAtMs !== null,
    paused_at: speaking ? iso(turn.pausedAtMs) : null,
    elapsed_ms: speaking ? elapsedMs(clock, now) : null,
    elapsed_seconds: speaking ? Math.floor(elapsedMs(clock, now) / 1000) : null,
    remaining_seconds: speaking ? remainingSeconds(clock, now) : null,
    timer_at: speaking ? iso(now) : null,
  }
}

export function roomPayload(room: Room, highlighted: number[], speakerSystemId: number | null) {
  return {
    id: room.id,
    rev: room.rev,
    meeting: room.meetingId,
    title: room.title,
    body: room.body,
    open: room.open,
    handler: room.handlerId,
    agenda_item: room.agendaItemId,
    poll: room.pollId,
    send_sls: room.sendSls,
    send_proposals: room.sendProposals,
    show_ballot: room.showBallot,
    show_time: room.showTime,
    created: room.createdAt?.toUTC().toISO() ?? null,
    token: room.token,
    highlighted,
    speaker_system: speakerSystemId,
  }
}

/** Channels of a list (api.md §8.2): its own, its agenda item's (active systems), the room's (active list). */
export function listChannels(system: SpeakerListSystem, list: SpeakerList): string[] {
  const out = [channels.speakerList(list.meetingId, list.id)]
  if (list.agendaItemId && system.state === 'active')
    out.push(channels.agendaItem(list.meetingId, list.agendaItemId))
  if (system.activeListId === list.id) out.push(channels.room(list.meetingId, system.roomId))
  return out
}

/** Channels of a turn: its list's, and the room's when the list is active. */
export function turnChannels(system: SpeakerListSystem, list: SpeakerList): string[] {
  const out = [channels.speakerList(list.meetingId, list.id)]
  if (system.activeListId === list.id) out.push(channels.room(list.meetingId, system.roomId))
  return out
}

export function listMessages(
  system: SpeakerListSystem,
  list: SpeakerList,
  openTurns: readonly Speaker[],
  rid: string | null
): OutgoingMessage[] {
  const data = speakerListPayload(list, system, openTurns)
  return listChannels(system, list).map((channel) => ({
    channel,
    type: 'speaker_list.changed',
    data,
    rid,
  }))
}

export function turnMessages(
  system: SpeakerListSystem,
  list: SpeakerList,
  turn: Speaker,
  now: number,
  rid: string | null,
  deleted = false,
  announce?: Announce
): OutgoingMessage[] {
  const data = deleted
    ? {
        id: turn.id,
        rev: turn.rev + 1,
        meeting: turn.meetingId,
        room: system.roomId,
        speaker_list: list.id,
      }
    : speakerPayload(turn, system, now)
  return turnChannels(system, list).map((channel) => ({
    channel,
    type: deleted ? 'speaker.deleted' : 'speaker.changed',
    data,
    rid,
    ...(announce ? { announce } : {}),
  }))
}

/** "Your turn to speak" for assistive technology (api.md §7.3): clients compare `user` with themselves. */
export function speakerStartedAnnouncement(
  system: SpeakerListSystem,
  list: SpeakerList,
  turn: Speaker
): Announce {
  return {
    key: 'speaker.started',
    params: {
      user: turn.userId,
      speaker: turn.id,
      speaker_list: list.id,
      room: system.roomId,
      meeting: turn.meetingId,
    },
  }
}

export function systemMessages(
  system: SpeakerListSystem,
  rid: string | null,
  deleted = false
): OutgoingMessage[] {
  return [
    {
      channel: channels.meeting(system.meetingId),
      type: deleted ? 'speaker_system.deleted' : 'speaker_system.changed',
      data: deleted
        ? { id: system.id, rev: system.rev + 1, meeting: system.meetingId }
        : speakerSystemPayload(system),
      rid,
    },
  ]
}
