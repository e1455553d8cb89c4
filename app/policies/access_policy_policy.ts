import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { canJoinMeeting, canManageAccessPolicies } from '#domain/permissions/invitations'

/** Access policies (domain §16.1). Thin: gathers facts, calls the domain predicates. */
export default class AccessPolicyPolicy extends BasePolicy {
  async manage(user: User, meeting: Meeting) {
    return canManageAccessPolicies(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async join(user: User, meeting: Meeting) {
    return canJoinMeeting(await meetingActor(user, meeting), meetingFacts(meeting))
  }
}
