import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  canChangeMeetingComponents,
  canViewMeetingComponents,
} from '#domain/permissions/components'

/** Meeting components (domain §15.1). Thin: facts in, domain predicates out. */
export default class MeetingComponentPolicy extends BasePolicy {
  async view(user: User, meeting: Meeting) {
    return canViewMeetingComponents(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async change(user: User, meeting: Meeting) {
    return canChangeMeetingComponents(await meetingActor(user, meeting), meetingFacts(meeting))
  }
}
