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
  agendaItem: (meetingId: number, agendaItemId: number) => `meetings/${meetingId}/agenda-items/${agendaItemId}`,
  room: (meetingId: number, roomId: number) => `meetings/${meetingId}/rooms/${roomId}`,
  speakerList: (meetingId: number, listId: number) => `meetings/${meetingId}/speaker-lists/${listId}`,
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
