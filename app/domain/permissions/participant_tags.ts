/**
 * Participant tags and numbers (domain §15.4, §15.5). Pure predicates over plain facts.
 */
import { isMeetingArchived } from '#domain/meetings/state_machine'
import { isParticipant, type MeetingActor, type MeetingFacts } from '#domain/permissions/meeting'

/** Read, remove or delete one's own tags: participant. */
export function canUseOwnTags(actor: MeetingActor | null, meeting: MeetingFacts) {
  return isParticipant(actor, meeting)
}

/**
 * Set one's own tags: participant and the meeting not archived (an archived
 * meeting is a record; removing one's own tags stays possible, they are personal data).
 */
export function canSetOwnTags(actor: MeetingActor | null, meeting: MeetingFacts) {
  return isParticipant(actor, meeting) && !isMeetingArchived(meeting.state)
}

/** List participant numbers: participant. */
export function canViewParticipantNumbers(actor: MeetingActor | null, meeting: MeetingFacts) {
  return isParticipant(actor, meeting)
}
