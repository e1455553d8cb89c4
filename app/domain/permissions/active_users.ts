/**
 * Active users ("I'm here", domain §15.2). Pure predicates over plain facts.
 */
import { isMeetingActive } from '#domain/meetings/state_machine'
import {
  isModerator,
  isParticipant,
  type MeetingActor,
  type MeetingFacts,
} from '#domain/permissions/meeting'

export interface ActiveUsersFacts {
  /** The `active_users` component exists, is valid and is enabled. */
  componentEnabled: boolean
}

/** List the active users: participant, component enabled. */
export function canViewActiveUsers(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  facts: ActiveUsersFacts
) {
  return isParticipant(actor, meeting) && facts.componentEnabled
}

/** Set one's own flag: participant, meeting active (upcoming or ongoing), component enabled. */
export function canSetActive(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  facts: ActiveUsersFacts
) {
  return isParticipant(actor, meeting) && isMeetingActive(meeting.state) && facts.componentEnabled
}

/** Purge inactive flags: explicitly moderator (domain §15.2 decision). */
export function canPurgeActiveUsers(actor: MeetingActor | null, meeting: MeetingFacts) {
  return isModerator(actor, meeting)
}

/** The purge window: 0 hours means 5 minutes (domain §15.2). */
export function purgeWindowMinutes(hours: number) {
  return hours === 0 ? 5 : hours * 60
}
