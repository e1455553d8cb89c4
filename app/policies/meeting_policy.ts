import { BasePolicy, allowGuest } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import { SFS_LEADER_ROLE } from '#domain/electoral_register/sfs_delegation'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  canAddAgendaItem,
  canArchiveMeeting,
  canChangeMeeting,
  canChangeMeetingDialect,
  canChangeMeetingRoles,
  canDeleteMeeting,
  canManageGroups,
  canModerateMeeting,
  canPreviewMeeting,
  canReadMeeting,
  canSeeMeeting,
  canSetSfsDelegationVoters,
  canViewGroups,
  canViewMeeting,
  canViewMeetingRoles,
} from '#domain/permissions/meeting'

/**
 * Meeting permissions (domain §7.6, §3.3, §8.3 add). Thin: gathers the facts,
 * calls the domain predicates. `see` decides 404 before any 403.
 */
export default class MeetingPolicy extends BasePolicy {
  @allowGuest()
  async see(user: User | null, meeting: Meeting) {
    return canSeeMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  @allowGuest()
  async read(user: User | null, meeting: Meeting) {
    return canReadMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async view(user: User, meeting: Meeting) {
    return canViewMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async preview(user: User, meeting: Meeting) {
    return canPreviewMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async moderate(user: User, meeting: Meeting) {
    return canModerateMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async change(user: User, meeting: Meeting) {
    return canChangeMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async changeDialect(user: User, meeting: Meeting) {
    return canChangeMeetingDialect(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async archive(user: User, meeting: Meeting) {
    return canArchiveMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async delete(user: User, meeting: Meeting) {
    return canDeleteMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async viewRoles(user: User, meeting: Meeting) {
    return canViewMeetingRoles(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async changeRoles(user: User, meeting: Meeting) {
    return canChangeMeetingRoles(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async viewGroups(user: User, meeting: Meeting) {
    return canViewGroups(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async manageGroups(user: User, meeting: Meeting) {
    return canManageGroups(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  /** POST /api/meeting-groups/{id}/sfs-delegation-voters (domain §11.6). */
  async setSfsDelegationVoters(user: User, meeting: Meeting, group: MeetingGroup) {
    const leader = await GroupMembership.forOrganisation(meeting.organisationId)
      .where('group_memberships.meeting_group_id', group.id)
      .where('group_memberships.user_id', user.id)
      .join('group_roles', 'group_roles.id', 'group_memberships.group_role_id')
      .where('group_roles.role_id', SFS_LEADER_ROLE)
      .first()
    return canSetSfsDelegationVoters(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      leader !== null
    )
  }

  async addAgendaItem(user: User, meeting: Meeting) {
    return canAddAgendaItem(await meetingActor(user, meeting), meetingFacts(meeting))
  }
}
