/**
 * Meeting API key permissions (domain §18.2): moderators view and revoke;
 * issuing (create, cycle) also needs the meeting to be active.
 */
import { isModerator, type MeetingActor, type MeetingFacts } from '#domain/permissions/meeting'
import { isMeetingActive, isMeetingArchived } from '#domain/meetings/state_machine'

/** api_key.view */
export function canViewApiKeys(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting)
}

/** api_key.add / api_key.change */
export function canAddApiKey(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting) && isMeetingActive(meeting.state)
}

/** api_key.delete */
export function canDeleteApiKey(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting)
}

/**
 * Token-API invite writes (domain §18.4): the key stands in for a moderator,
 * so the meeting's own rule applies (meeting_invite add/change/delete need the
 * meeting not archived, domain §16.3). The scope was checked before.
 */
export function canKeyChangeInvites(meeting: MeetingFacts): boolean {
  return !isMeetingArchived(meeting.state)
}
