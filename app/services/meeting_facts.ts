import type User from '#models/user'
import type Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import { organisationActor } from '#services/actor_facts'
import type { MeetingActor, MeetingFacts } from '#domain/permissions/meeting'
import type { MeetingRoleCode } from '#domain/permissions/roles'

/**
 * Facts about a caller in a meeting for the domain predicates. Not cached:
 * role changes within a request must be seen at once, and it is one indexed row.
 */
export async function meetingRolesOf(userId: number, meeting: Meeting): Promise<MeetingRoleCode[]> {
  const row = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
    .first()
  return row?.assigned ?? []
}

export async function meetingActor(user: User | null | undefined, meeting: Meeting): Promise<MeetingActor | null> {
  if (!user) return null
  const organisation = await organisationActor(user)
  const meetingRoles = user.organisationId === meeting.organisationId ? await meetingRolesOf(user.id, meeting) : []
  return { ...organisation, meetingRoles }
}

export function meetingFacts(meeting: Meeting): MeetingFacts {
  return {
    id: meeting.id,
    organisationId: meeting.organisationId,
    state: meeting.state,
    public: meeting.public,
    visibleInLists: meeting.visibleInLists,
  }
}
