import { BasePolicy, allowGuest } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
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

  async addAgendaItem(user: User, meeting: Meeting) {
    return canAddAgendaItem(await meetingActor(user, meeting), meetingFacts(meeting))
  }
}
