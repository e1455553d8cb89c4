/**
 * Every realtime channel name is built here and nowhere else (api.md §7.2).
 */
export const channels = {
  user: (userId: number) => `users/${userId}`,
  organisation: (organisationId: number) => `orgs/${organisationId}`,
  meeting: (meetingId: number) => `meetings/${meetingId}`,
  participants: (meetingId: number) => `meetings/${meetingId}/participants`,
  moderators: (meetingId: number) => `meetings/${meetingId}/moderators`,
  invites: (meetingId: number) => `meetings/${meetingId}/invites`,
  agendaItem: (meetingId: number, agendaItemId: number) =>
    `meetings/${meetingId}/agenda-items/${agendaItemId}`,
  room: (meetingId: number, roomId: number) => `meetings/${meetingId}/rooms/${roomId}`,
  speakerList: (meetingId: number, listId: number) =>
    `meetings/${meetingId}/speaker-lists/${listId}`,
  poll: (meetingId: number, pollId: number) => `meetings/${meetingId}/polls/${pollId}`,
} as const

/** Patterns for transmit.authorize (same order and meaning as `channels`). */
export const channelPatterns = {
  user: 'users/:userId',
  organisation: 'orgs/:orgId',
  meeting: 'meetings/:meetingId',
  participants: 'meetings/:meetingId/participants',
  moderators: 'meetings/:meetingId/moderators',
  invites: 'meetings/:meetingId/invites',
  agendaItem: 'meetings/:meetingId/agenda-items/:agendaItemId',
  room: 'meetings/:meetingId/rooms/:roomId',
  speakerList: 'meetings/:meetingId/speaker-lists/:listId',
  poll: 'meetings/:meetingId/polls/:pollId',
} as const

export type ChannelKind = keyof typeof channelPatterns

export interface MatchedChannel {
  kind: ChannelKind
  /** Numeric path parameters, named as in `channelPatterns`. */
  params: Record<string, number>
}

const compiled = (Object.entries(channelPatterns) as Array<[ChannelKind, string]>).map(
  ([kind, pattern]) => {
    const names: string[] = []
    const source = pattern
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[-]/g, '\\-')
        names.push(segment.slice(1))
        return '([1-9][0-9]{0,15})'
      })
      .join('/')
    return { kind, names, regex: new RegExp(`^${source}$`) }
  }
)

/**
 * Recognises a channel name (api.md §7.2). Ids are positive integers written
 * without leading zeros, so every channel has exactly one spelling and an
 * authorisation decision cannot be bypassed with `meetings/05`.
 */
export function matchChannel(name: string): MatchedChannel | null {
  if (typeof name !== 'string' || name.length > 200) return null
  for (const { kind, names, regex } of compiled) {
    const match = regex.exec(name)
    if (!match) continue
    const params: Record<string, number> = {}
    names.forEach((param, index) => (params[param] = Number(match[index + 1])))
    return { kind, params }
  }
  return null
}
