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
  swedishSsn: string | null
  memberId: string | null
}

export interface InviteeFacts {
  organisationId: number
  /** identity data the logins vouched for: the account's email, and claims of login providers */
  email: string | null
  swedishSsn: readonly string[]
  memberIds: readonly string[]
}

/** The invite names an identity value the user's logins vouched for (domain §16.4). */
export function inviteMatchesUser(user: InviteeFacts, invite: InviteFacts): boolean {
  if (user.organisationId !== invite.organisationId) return false
  return (
    (invite.email !== null && invite.email === user.email) ||
    (invite.swedishSsn !== null && user.swedishSsn.includes(invite.swedishSsn)) ||
    (invite.memberId !== null && user.memberIds.includes(invite.memberId))
  )
}

/** Accept / decline through identity matching. */
export function canRespondToInvite(user: InviteeFacts, invite: InviteFacts): boolean {
  return inviteMatchesUser(user, invite)
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
