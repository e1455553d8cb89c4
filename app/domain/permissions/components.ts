/**
 * Meeting components (domain §15.1). Pure predicates over plain facts.
 */
import { isMeetingArchived } from '#domain/meetings/state_machine'
import {
  isModerator,
  isParticipant,
  type MeetingActor,
  type MeetingFacts,
} from '#domain/permissions/meeting'

/** List the meeting's components (valid ones, enabled or not): participant. */
export function canViewMeetingComponents(actor: MeetingActor | null, meeting: MeetingFacts) {
  return isParticipant(actor, meeting)
}

/** Create, change or delete a meeting component: moderator while the meeting is not archived. */
export function canChangeMeetingComponents(actor: MeetingActor | null, meeting: MeetingFacts) {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

/**
 * A component the installed dialect blocks may not be enabled while that dialect is installed
 * (domain §20.2 `block_components`); disabling, editing settings and deleting stay allowed.
 */
export function isEnablingBlocked(name: string, enabled: boolean, blocked: readonly string[]) {
  return enabled && blocked.includes(name)
}
