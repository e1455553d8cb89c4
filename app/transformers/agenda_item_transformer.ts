import type AgendaItem from '#models/agenda_item'
import type LastRead from '#models/last_read'
import type { OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'

const iso = (value: { toUTC: () => { toISO: () => string | null } } | null) =>
  value ? value.toUTC().toISO() : null

/** `AgendaItem` (api.md §6.9); `body` only in the detail response. */
export function agendaItemPayload(item: AgendaItem, options: { body?: boolean } = {}) {
  return {
    id: item.id,
    rev: item.rev,
    meeting: item.meetingId,
    title: item.title,
    ...(options.body ? { body: item.body } : {}),
    state: item.state,
    order: item.order,
    tags: item.tags,
    block_proposals: item.blockProposals,
    block_discussion: item.blockDiscussion,
    related_modified: iso(item.relatedModified),
  }
}

export function lastReadPayload(row: LastRead) {
  return { agenda_item: row.agendaItemId, meeting: row.meetingId, timestamp: iso(row.timestamp) }
}

/**
 * Realtime messages for a changed agenda item (api.md §8.2): moderators get
 * every item; participants get non-private items, and `agenda_item.deleted`
 * when an item leaves their view by becoming private.
 */
export function agendaItemMessages(
  item: AgendaItem,
  previousState: string | null,
  rid: string | null = null
): OutgoingMessage[] {
  const data = agendaItemPayload(item)
  const messages: OutgoingMessage[] = [
    { channel: channels.moderators(item.meetingId), type: 'agenda_item.changed', data, rid },
  ]
  if (item.state !== 'private') {
    messages.push({
      channel: channels.participants(item.meetingId),
      type: 'agenda_item.changed',
      data,
      rid,
    })
  } else if (previousState && previousState !== 'private') {
    messages.push({
      channel: channels.participants(item.meetingId),
      type: 'agenda_item.deleted',
      data: { id: item.id, rev: item.rev, meeting: item.meetingId },
      rid,
    })
  }
  return messages
}

/** `agenda_item.deleted` for a removed item (participants only if they could see it). */
export function agendaItemDeletedMessages(
  item: AgendaItem,
  rid: string | null = null
): OutgoingMessage[] {
  const data = { id: item.id, rev: item.rev + 1, meeting: item.meetingId }
  const messages: OutgoingMessage[] = [
    { channel: channels.moderators(item.meetingId), type: 'agenda_item.deleted', data, rid },
  ]
  if (item.state !== 'private') {
    messages.push({
      channel: channels.participants(item.meetingId),
      type: 'agenda_item.deleted',
      data,
      rid,
    })
  }
  return messages
}
