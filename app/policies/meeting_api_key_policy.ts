import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { canAddApiKey, canDeleteApiKey, canViewApiKeys } from '#domain/permissions/api_keys'

/** Meeting API key management (domain §18.2). Thin: facts in, domain predicates out. */
export default class MeetingApiKeyPolicy extends BasePolicy {
  async view(user: User, meeting: Meeting) {
    return canViewApiKeys(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async add(user: User, meeting: Meeting) {
    return canAddApiKey(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async delete(user: User, meeting: Meeting) {
    return canDeleteApiKey(await meetingActor(user, meeting), meetingFacts(meeting))
  }
}
