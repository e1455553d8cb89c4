/**
 * Poll, vote, electoral register and vote transfer permissions (domain §10.7).
 * Pure predicates over plain facts; PollPolicy gathers the facts.
 */
import {
  isModerator,
  isParticipant,
  type MeetingActor,
  type MeetingFacts,
} from '#domain/permissions/meeting'
import {
  isMeetingActive,
  isMeetingArchived,
  isMeetingFinished,
} from '#domain/meetings/state_machine'
import type { PollState } from '#domain/polls/state_machine'
import { editableStates } from '#domain/polls/state_machine'

export interface PollContextFacts {
  /** State of the poll's agenda item (null for polls without one). */
  itemState: string | null
}

export interface PollFacts extends PollContextFacts {
  state: PollState
}

/** poll.add: moderator; context neither finished nor archived. */
export function canAddPoll(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  context: PollContextFacts
): boolean {
  if (!isModerator(actor, meeting) || isMeetingFinished(meeting.state)) return false
  return (
    context.itemState === null ||
    (context.itemState !== 'closed' && context.itemState !== 'archived')
  )
}

/** poll.view: participants; non-moderators never see private polls or polls in private items. */
export function canViewPoll(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  poll: PollFacts
): boolean {
  if (isModerator(actor, meeting)) return true
  if (!isParticipant(actor, meeting)) return false
  return poll.state !== 'private' && poll.itemState !== 'private'
}

/** poll.change: moderator and poll private/upcoming. */
export function canChangePoll(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  poll: PollFacts
): boolean {
  return (
    isModerator(actor, meeting) &&
    editableStates.includes(poll.state) &&
    !isMeetingArchived(meeting.state)
  )
}

/** poll.delete: moderator and context not archived. */
export function canDeletePoll(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  poll: PollFacts
): boolean {
  return (
    isModerator(actor, meeting) &&
    !isMeetingArchived(meeting.state) &&
    poll.itemState !== 'archived'
  )
}

/** poll.change_state: moderator and context not archived. */
export function canChangePollState(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  poll: PollFacts
): boolean {
  return canDeletePoll(actor, meeting, poll)
}

/** Moderators see withheld results and the voter-linked export of open polls. */
export function canSeeWithheldResult(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting)
}

/** vote.add: poll ongoing and the user in the poll's register. */
export function canVote(poll: { state: PollState }, inRegister: boolean): boolean {
  return poll.state === 'ongoing' && inRegister
}

/** electoral_register.view: participants. */
export function canViewRegisters(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isParticipant(actor, meeting)
}

/** electoral_register.add: moderator and meeting not archived. */
export function canAddRegister(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

const meetingActive = (meeting: MeetingFacts) => isMeetingActive(meeting.state)

/** vote_transfer.add: transfers enabled, meeting active, (source holding pv) or moderator. */
export function canAddTransfer(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  transfer: { enabled: boolean; sourceId: number }
): boolean {
  if (!transfer.enabled || !meetingActive(meeting) || !actor) return false
  if (isModerator(actor, meeting)) return true
  return actor.userId === transfer.sourceId && actor.meetingRoles.includes('pv')
}

/** vote_transfer.change / delete: transfers enabled, meeting active, source, target or moderator. */
export function canChangeTransfer(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  transfer: { enabled: boolean; sourceId: number; targetId: number }
): boolean {
  if (!transfer.enabled || !meetingActive(meeting) || !actor) return false
  return (
    isModerator(actor, meeting) ||
    actor.userId === transfer.sourceId ||
    actor.userId === transfer.targetId
  )
}

/** vote_transfer.view: source, target or moderator. */
export function canViewTransfer(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  transfer: { sourceId: number; targetId: number }
): boolean {
  if (!actor) return false
  return (
    isModerator(actor, meeting) ||
    actor.userId === transfer.sourceId ||
    actor.userId === transfer.targetId
  )
}
