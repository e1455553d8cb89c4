/**
 * Permission predicates for proposals, amendments, text documents (domain
 * §9.5), discussion posts (§14.1), reactions (§14.2) and notes (§14.3).
 * Pure functions over plain facts; the Bouncer policies gather the facts.
 */
import {
  canViewAgendaItem,
  isModerator,
  isParticipant,
  type MeetingActor,
  type MeetingFacts,
} from '#domain/permissions/meeting'
import { isMeetingArchived } from '#domain/meetings/state_machine'
import {
  isAgendaItemActive,
  isAgendaItemModeratorEditable,
  type AgendaItemState,
} from '#domain/agenda/state_machine'
import type { MeetingRoleCode } from '#domain/permissions/roles'
import type { ProposalState } from '#domain/proposals/state_machine'

export interface ContentItemFacts {
  state: AgendaItemState
  blockProposals: boolean
  blockDiscussion: boolean
}

export interface ProposalFacts {
  state: ProposalState
  authorId: number | null
  /** The caller is a member of the proposal's `meeting_group`. */
  callerInGroup: boolean
  /** Any poll (in any state) includes the proposal. */
  usedInPoll: boolean
}

const holds = (actor: MeetingActor | null, meeting: MeetingFacts, role: MeetingRoleCode) =>
  isParticipant(actor, meeting) && actor!.meetingRoles.includes(role)

/** proposal.view (and text documents, posts): same as agenda item view. */
export function canViewContent(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts
): boolean {
  return canViewAgendaItem(actor, meeting, { state: item.state })
}

/** proposal.add (against the agenda item). */
export function canAddProposal(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts
): boolean {
  if (isModerator(actor, meeting) && isAgendaItemModeratorEditable(item.state)) return true
  return isAgendaItemActive(item.state) && !item.blockProposals && holds(actor, meeting, 'pr')
}

/** proposal.change: moderator, item not archived, meeting not archived (D25: closed items too). */
export function canChangeProposal(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts
): boolean {
  return (
    isModerator(actor, meeting) && item.state !== 'archived' && !isMeetingArchived(meeting.state)
  )
}

/** proposal.delete: moderator, item moderator-editable, not used in any poll. */
export function canDeleteProposal(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts,
  proposal: Pick<ProposalFacts, 'usedInPoll'>
): boolean {
  return (
    isModerator(actor, meeting) && isAgendaItemModeratorEditable(item.state) && !proposal.usedInPoll
  )
}

/**
 * proposal.retract: (moderator and item moderator-editable) or (item active,
 * proposal published, caller is the author or a member of the proposal's
 * group, holds `pr`, and `block_proposals` is false). The machine's source
 * state (`published`) applies to moderators too.
 */
export function canRetractProposal(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts,
  proposal: ProposalFacts
): boolean {
  if (isMeetingArchived(meeting.state)) return false
  if (isModerator(actor, meeting) && isAgendaItemModeratorEditable(item.state)) return true
  if (!isAgendaItemActive(item.state) || item.blockProposals || proposal.state !== 'published')
    return false
  if (!holds(actor, meeting, 'pr')) return false
  return proposal.authorId === actor!.userId || proposal.callerInGroup
}

/** text_document.add: moderator and item moderator-editable. */
export function canAddTextDocument(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts
): boolean {
  return (
    isModerator(actor, meeting) &&
    isAgendaItemModeratorEditable(item.state) &&
    !isMeetingArchived(meeting.state)
  )
}

/** text_document.change / delete: as add, and no paragraph has an amendment. */
export function canChangeTextDocument(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts,
  document: { hasAmendments: boolean }
): boolean {
  return canAddTextDocument(actor, meeting, item) && !document.hasAmendments
}

/**
 * discussion_post.add: moderator (item not archived; ignores private and
 * block_discussion) or discusser with item not archived, not private, and
 * block_discussion false.
 */
export function canAddDiscussionPost(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts
): boolean {
  if (item.state === 'archived' || isMeetingArchived(meeting.state)) return false
  if (isModerator(actor, meeting)) return true
  return item.state !== 'private' && !item.blockDiscussion && holds(actor, meeting, 'di')
}

/** discussion_post.change: moderator and meeting not archived. */
export function canChangeDiscussionPost(
  actor: MeetingActor | null,
  meeting: MeetingFacts
): boolean {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

/** discussion_post.delete: (moderator or author) and meeting not archived. */
export function canDeleteDiscussionPost(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  post: { authorId: number | null }
): boolean {
  if (isMeetingArchived(meeting.state)) return false
  if (isModerator(actor, meeting)) return true
  return isParticipant(actor, meeting) && post.authorId !== null && post.authorId === actor!.userId
}

/** Meeting **active** (domain §0.3): every reaction permission requires it. */
const meetingActive = (meeting: MeetingFacts) =>
  meeting.state === 'upcoming' || meeting.state === 'ongoing'

export interface ReactionButtonFacts {
  active: boolean
  flagMode: boolean
  changeRoles: readonly string[]
  listRoles: readonly string[]
}

/** reaction_button view: participants. */
export function canViewReactionButtons(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isParticipant(actor, meeting)
}

/** reaction_button add / change / delete: moderator, meeting active. */
export function canManageReactionButtons(
  actor: MeetingActor | null,
  meeting: MeetingFacts
): boolean {
  return meetingActive(meeting) && isModerator(actor, meeting)
}

const holdsAny = (actor: MeetingActor | null, meeting: MeetingFacts, roles: readonly string[]) =>
  isParticipant(actor, meeting) && actor!.meetingRoles.some((role) => roles.includes(role))

/**
 * reaction set / remove: meeting active, button active, and the caller holds
 * a role in `change_roles` (moderators implicitly); flag buttons: moderators only.
 */
export function canReact(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  button: ReactionButtonFacts
): boolean {
  if (!meetingActive(meeting) || !button.active) return false
  if (isModerator(actor, meeting)) return true
  if (button.flagMode) return false
  return holdsAny(actor, meeting, button.changeRoles)
}

/** list_reactions: meeting active and a role in `list_roles` (moderators implicitly). */
export function canListReactions(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  button: ReactionButtonFacts
): boolean {
  if (!meetingActive(meeting)) return false
  return isModerator(actor, meeting) || holdsAny(actor, meeting, button.listRoles)
}

/** Notes: participants who can view the proposal, with the `notes` component enabled; only ever their own. */
export function canUseNotes(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  options: { componentEnabled: boolean }
): boolean {
  return options.componentEnabled && isParticipant(actor, meeting)
}

/** Exports of proposals and discussion posts (domain §4.6): moderators. */
export function canExportContent(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting)
}

/**
 * Maps the proposal machine's permission names to predicates (`can()` of the
 * generic evaluator).
 */
export function proposalPermission(
  permission: string,
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: ContentItemFacts,
  proposal: ProposalFacts
): boolean {
  switch (permission) {
    case 'proposal.change':
      return canChangeProposal(actor, meeting, item)
    case 'proposal.retract':
      return canRetractProposal(actor, meeting, item, proposal)
    default:
      return false
  }
}
