/**
 * Permission predicates for meetings, meeting roles, groups and the agenda
 * (domain §3.3, §7.6, §8.3). Pure functions over plain facts; the Bouncer
 * policies gather the facts and call them. `actor` is null for anonymous callers.
 */
import type { OrganisationActor } from '#domain/permissions/organisation'
import { isOrgManager } from '#domain/permissions/organisation'
import type { MeetingRoleCode } from '#domain/permissions/roles'
import {
  isMeetingArchived,
  isMeetingFinished,
  type MeetingState,
} from '#domain/meetings/state_machine'
import type { AgendaItemState } from '#domain/agenda/state_machine'

export interface MeetingActor extends OrganisationActor {
  /** The caller's roles in the meeting; empty when the caller has no row. */
  meetingRoles: readonly MeetingRoleCode[]
}

export interface MeetingFacts {
  id: number
  organisationId: number
  state: MeetingState
  public: boolean
  visibleInLists: boolean
}

export interface AgendaItemFacts {
  state: AgendaItemState
}

const sameOrganisation = (
  actor: MeetingActor | null,
  meeting: MeetingFacts
): actor is MeetingActor => !!actor && actor.organisationId === meeting.organisationId

export function isParticipant(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return sameOrganisation(actor, meeting) && actor.meetingRoles.length > 0
}

export function isModerator(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return sameOrganisation(actor, meeting) && actor.meetingRoles.includes('mo')
}

function managesOrganisation(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return sameOrganisation(actor, meeting) && isOrgManager(actor, meeting.organisationId)
}

/** meeting.view: participants. Public meetings are read through the public paths (§7.7). */
export function canViewMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isParticipant(actor, meeting)
}

/** Full read of the meeting payload: participants, or anyone when the meeting is public (§7.7). */
export function canReadMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return canViewMeeting(actor, meeting) || meeting.public
}

/** meeting.preview: basic list fields; the meeting is listed, or the caller manages the organisation. */
export function canPreviewMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  if (!sameOrganisation(actor, meeting)) return false
  return meeting.visibleInLists || isOrgManager(actor, meeting.organisationId)
}

/** Whether the meeting appears in GET /api/meetings for the caller (§7.1 "Listing meetings"). */
export function canListMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  if (meeting.public) return true
  if (!sameOrganisation(actor, meeting)) return false
  return (
    isOrgManager(actor, meeting.organisationId) ||
    meeting.visibleInLists ||
    actor.meetingRoles.length > 0
  )
}

/** Visibility for 404-vs-403: anything the caller can read or preview. */
export function canSeeMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return canReadMeeting(actor, meeting) || canPreviewMeeting(actor, meeting)
}

export function canModerateMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting)
}

/** meeting.archive: moderator and the meeting is not fully archived. */
export function canArchiveMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting) && meeting.state !== 'archived'
}

/** meeting.change: moderator and meeting not archived. */
export function canChangeMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

/** meeting.change_dialect: moderator and meeting upcoming. */
export function canChangeMeetingDialect(
  actor: MeetingActor | null,
  meeting: MeetingFacts
): boolean {
  return isModerator(actor, meeting) && meeting.state === 'upcoming'
}

/** meeting.delete: moderator. */
export function canDeleteMeeting(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting)
}

/** meeting.change_roles: meeting not archived and (moderator or org_manager). */
export function canChangeMeetingRoles(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  if (isMeetingArchived(meeting.state)) return false
  return isModerator(actor, meeting) || managesOrganisation(actor, meeting)
}

/** meeting.view_roles: participant. */
export function canViewMeetingRoles(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isParticipant(actor, meeting)
}

/** meeting_group, group_membership, group_role add/change/delete: moderator and meeting not archived. */
export function canManageGroups(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

/**
 * SFS delegation weights of one group (domain §11.6): a moderator, or a
 * participant who is a member of the group with group role `leader`; the
 * meeting is not finished.
 */
export function canSetSfsDelegationVoters(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  isGroupLeader: boolean
): boolean {
  if (isMeetingFinished(meeting.state)) return false
  return isModerator(actor, meeting) || (isParticipant(actor, meeting) && isGroupLeader)
}

/** meeting_group / membership / group role view: participant. */
export function canViewGroups(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isParticipant(actor, meeting)
}

/** agenda_item.add (against the meeting): moderator and meeting not archived. */
export function canAddAgendaItem(actor: MeetingActor | null, meeting: MeetingFacts): boolean {
  return isModerator(actor, meeting) && !isMeetingArchived(meeting.state)
}

/** agenda_item.view: moderator; or item not private and the caller can view the meeting (or it is public). */
export function canViewAgendaItem(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: AgendaItemFacts
): boolean {
  if (isModerator(actor, meeting)) return true
  return item.state !== 'private' && canReadMeeting(actor, meeting)
}

/** agenda_item.change / delete: moderator, item not archived, meeting not archived. */
export function canChangeAgendaItem(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: AgendaItemFacts
): boolean {
  return (
    isModerator(actor, meeting) && item.state !== 'archived' && !isMeetingArchived(meeting.state)
  )
}

/** Mark as read: a participant who can view the item. */
export function canMarkAgendaItemRead(
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item: AgendaItemFacts
): boolean {
  return isParticipant(actor, meeting) && canViewAgendaItem(actor, meeting, item)
}

/**
 * Maps a machine permission name to its predicate. Used by the state-machine
 * actions (`can(permission)`).
 */
export function meetingPermission(
  permission: string,
  actor: MeetingActor | null,
  meeting: MeetingFacts,
  item?: AgendaItemFacts
): boolean {
  switch (permission) {
    case 'meeting.moderate':
      return canModerateMeeting(actor, meeting)
    case 'meeting.archive':
      return canArchiveMeeting(actor, meeting)
    case 'meeting.delete':
      return canDeleteMeeting(actor, meeting)
    case 'meeting.change':
      return canChangeMeeting(actor, meeting)
    case 'agenda_item.change':
      return !!item && canChangeAgendaItem(actor, meeting, item)
    default:
      return false
  }
}
