import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import OrganisationRole from '#models/organisation_role'
import type { MeetingActor, MeetingFacts } from '#domain/permissions/meeting'
import type { MeetingRoleCode } from '#domain/permissions/roles'

/**
 * Facts about a caller in a meeting for the domain predicates. Not cached:
 * role changes within a request must be seen at once, and it is two indexed
 * rows. Inside a transaction pass its client: SQLite has a single connection,
 * so a query outside the open transaction would wait for it forever.
 */
export async function meetingRolesOf(
  userId: number,
  meeting: Meeting,
  client?: QueryClientContract
): Promise<MeetingRoleCode[]> {
  const query = MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
  if (client) query.useTransaction(client as any)
  const row = await query.first()
  return row?.assigned ?? []
}

export async function meetingActor(
  user: User | null | undefined,
  meeting: Meeting,
  client?: QueryClientContract
): Promise<MeetingActor | null> {
  if (!user) return null
  const sameOrganisation = user.organisationId === meeting.organisationId
  const organisationRoles = OrganisationRole.forOrganisation(user.organisationId).where(
    'user_id',
    user.id
  )
  if (client) organisationRoles.useTransaction(client as any)
  const row = await organisationRoles.first()
  return {
    userId: user.id,
    organisationId: user.organisationId,
    isSuperuser: user.isSuperuser,
    organisationRoles: row?.assigned ?? [],
    meetingRoles: sameOrganisation ? await meetingRolesOf(user.id, meeting, client) : [],
  }
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
