/**
 * Permission predicates for speaker systems, lists, turns (domain §12.5),
 * speaker-system roles (§3.3), exports (§4.6) and rooms (§13). Pure functions
 * over plain facts; the Bouncer policies gather them and call these.
 */
import {
  isMeetingActive,
  isMeetingArchived,
  type MeetingState,
} from '#domain/meetings/state_machine'
import type { MeetingRoleCode, SpeakerSystemRoleCode } from '#domain/permissions/roles'
import type { SpeakerListState, SpeakerSystemState } from '#domain/speakers/state_machines'

export interface SpeakerActor {
  /** Roles in the meeting (empty = not a participant). */
  meetingRoles: readonly MeetingRoleCode[]
  /** Roles in the speaker system concerned (empty when none or no system). */
  systemRoles: readonly SpeakerSystemRoleCode[]
}

export interface SystemFacts {
  meetingState: MeetingState
  systemState: SpeakerSystemState
  meetingRolesToSpeaker: readonly string[]
  activeListId: number | null
}

export interface ListFacts {
  id: number
  state: SpeakerListState
  /** The caller currently speaks on this list. */
  callerSpeaking: boolean
}

export const isMeetingModerator = (actor: SpeakerActor) => actor.meetingRoles.includes('mo')
export const isListModerator = (actor: SpeakerActor) => actor.systemRoles.includes('list_moderator')
export const isMeetingParticipant = (actor: SpeakerActor) => actor.meetingRoles.length > 0
/** Meeting moderators and the system's list moderators run its lists. */
export const runsLists = (actor: SpeakerActor) =>
  isMeetingModerator(actor) || isListModerator(actor)
const notArchived = (system: SystemFacts) => system.systemState !== 'archived'

/** speaker_list_system.add (against the meeting): moderator and meeting active. */
export const canAddSystem = (actor: SpeakerActor, meetingState: MeetingState) =>
  isMeetingModerator(actor) && isMeetingActive(meetingState)

/** speaker_list_system.change: moderator and system not archived. */
export const canChangeSystem = (actor: SpeakerActor, system: SystemFacts) =>
  isMeetingModerator(actor) && notArchived(system)

/** Decision (§12.5): list moderators may change `active_list` only. */
export const canSetActiveList = (actor: SpeakerActor, system: SystemFacts) =>
  runsLists(actor) && notArchived(system)

/** activate / inactivate: meeting moderators only (not list moderators). */
export const canChangeSystemState = (actor: SpeakerActor, system: SystemFacts) =>
  isMeetingModerator(actor) && notArchived(system)

/** speaker_list_system.delete: moderator, meeting active, not archived, no active list. */
export const canDeleteSystem = (actor: SpeakerActor, system: SystemFacts) =>
  isMeetingModerator(actor) &&
  isMeetingActive(system.meetingState) &&
  notArchived(system) &&
  system.activeListId === null

/** speaker_list_system.change_roles: moderator and system not archived (§3.3). */
export const canChangeSystemRoles = (actor: SpeakerActor, system: SystemFacts) =>
  isMeetingModerator(actor) && notArchived(system)

/** speaker_list_system.view_roles and reading systems, lists, turns and history: participants. */
export const canViewSpeakers = (actor: SpeakerActor) =>
  isMeetingParticipant(actor) || actor.systemRoles.length > 0

/** speaker_list.add / change (incl. open/close): runs lists; meeting active. */
export const canChangeList = (actor: SpeakerActor, system: SystemFacts) =>
  runsLists(actor) && isMeetingActive(system.meetingState)

/** speaker_list.delete: runs lists; system not archived. */
export const canDeleteList = (actor: SpeakerActor, system: SystemFacts) =>
  runsLists(actor) && notArchived(system)

/** Qualified to speak: a role in meeting_roles_to_speaker, a system role, or moderator. */
export function isQualifiedSpeaker(actor: SpeakerActor, system: SystemFacts): boolean {
  if (isMeetingModerator(actor)) return true
  if (actor.systemRoles.includes('speaker') || actor.systemRoles.includes('list_moderator'))
    return true
  return actor.meetingRoles.some((role) => system.meetingRolesToSpeaker.includes(role))
}

/** speaker_list.enter (speech): list open, meeting active, system active, not speaking, qualified. */
export const canEnterList = (actor: SpeakerActor, system: SystemFacts, list: ListFacts) =>
  list.state === 'open' &&
  isMeetingActive(system.meetingState) &&
  system.systemState === 'active' &&
  !list.callerSpeaking &&
  isQualifiedSpeaker(actor, system)

/**
 * Raising a point of order (api.md §11.4): as enter, except that a closed list
 * accepts it when the system allows points of order on closed lists.
 */
export const canRaisePointOfOrder = (
  actor: SpeakerActor,
  system: SystemFacts & { pointOfOrderWhenClosed: boolean },
  list: ListFacts
) =>
  (list.state === 'open' || system.pointOfOrderWhenClosed) &&
  isMeetingActive(system.meetingState) &&
  system.systemState === 'active' &&
  !list.callerSpeaking &&
  isQualifiedSpeaker(actor, system)

/** speaker_list.shuffle: runs lists; meeting active. */
export const canShuffleList = (actor: SpeakerActor, system: SystemFacts) =>
  runsLists(actor) && isMeetingActive(system.meetingState)

/** speaker.add: runs lists; meeting active; system active. */
export const canAddSpeaker = (actor: SpeakerActor, system: SystemFacts) =>
  runsLists(actor) && isMeetingActive(system.meetingState) && system.systemState === 'active'

/** speaker.change / delete (stop, undo, pause, resume, extend, update, delete): runs lists; not archived. */
export const canChangeSpeaker = (actor: SpeakerActor, system: SystemFacts) =>
  runsLists(actor) && notArchived(system)

/** speaker.start: runs lists; the turn belongs to the system's active list. */
export const canStartSpeaker = (actor: SpeakerActor, system: SystemFacts, listId: number) =>
  runsLists(actor) && notArchived(system) && system.activeListId === listId

/** Export of speakers per system (§4.6): moderator or list moderator of that system. */
export const canExportSpeakers = (actor: SpeakerActor) => runsLists(actor)

/** room.view (and the room channel): any meeting role, or any role in the room's system. */
export const canViewRoom = (actor: SpeakerActor) =>
  isMeetingParticipant(actor) || actor.systemRoles.length > 0

/** room.add / change / handle / delete: moderator and meeting not archived. */
export const canChangeRoom = (actor: SpeakerActor, meetingState: MeetingState) =>
  isMeetingModerator(actor) && !isMeetingArchived(meetingState)

/** room.handle_speaker: meeting not archived and (moderator or list moderator of the room's system). */
export const canHandleRoomSpeaker = (actor: SpeakerActor, meetingState: MeetingState) =>
  !isMeetingArchived(meetingState) && runsLists(actor)

/** Maps machine permission names to predicates (used as `can()` by the event actions). */
export function speakerPermission(
  permission: string,
  actor: SpeakerActor,
  system: SystemFacts
): boolean {
  switch (permission) {
    case 'speaker_list_system.change_state':
      return canChangeSystemState(actor, system)
    case 'speaker_list.change':
      return canChangeList(actor, system)
    default:
      return false
  }
}
