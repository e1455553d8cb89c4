/**
 * Permission predicates for invitations and access policies (domain §16). Pure functions over
 * plain facts; the Bouncer policies gather the facts and call them.
 */
import { isMeetingArchived } from '#domain/meetings/state_machine'
import { isModerator, type MeetingActor, type MeetingFacts } from '#domain/permissions/meeting'

/** meeting_invite add / change / delete: moderator and meeting not archived. */
export function canManageInvites(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

/** meeting_invite view: moderator. */
export function canViewInvites(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting)
}

export interface InviteFacts {
  organisationId: number
  email: string | null
}

export interface InviteeFacts {
  organisationId: number
  /** identity data the login vouched for (today: the account's email, lower-cased) */
  email: string | null
}

/** Accept / decline through identity matching: the invite's identity matches the caller's vouched data. */
export function canRespondToInvite(user: InviteeFacts, invite: InviteFacts): boolean {
  return (
    user.organisationId === invite.organisationId &&
    user.email !== null &&
    invite.email === user.email
  )
}

/** The invite data types endpoint: moderators of any meeting (api.md §6.11). */
export function canListInviteDataTypes(moderatesAnyMeeting: boolean): boolean {
  return moderatesAnyMeeting
}

/** Access policy add / change / delete: moderator and meeting not archived (domain §16.1). */
export function canManageAccessPolicies(
  actor: MeetingActor | null,
  meeting: MeetingFacts
): boolean {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

/**
 * Self-join through an automatic policy: any user of the organisation; the policy must be active
 * (an inactive policy is a 422 rule refusal, not a permission failure, domain §16.1).
 */
export function canJoinMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return (
    !!actor && actor.organisationId === meeting.organisationId && !isMeetingArchived(meeting.state)
  )
}
