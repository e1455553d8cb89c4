import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type SpeakerListSystem from '#models/speaker_list_system'
import SpeakerSystemRole from '#models/speaker_system_role'
import { meetingRolesOf } from '#services/meeting_facts'
import type { SpeakerActor, SystemFacts } from '#domain/speakers/permissions'
import type { SpeakerSystemRoleCode } from '#domain/permissions/roles'

/**
 * Facts about a caller for the speaker predicates (domain §12.5): meeting roles
 * plus roles in the speaker system concerned. Not cached (role changes within
 * a request must be seen at once; two indexed rows).
 */
export async function systemRolesOf(
  userId: number,
  system: SpeakerListSystem,
  trx?: TransactionClientContract
): Promise<SpeakerSystemRoleCode[]> {
  const query = SpeakerSystemRole.forOrganisation(system.organisationId)
    .where('speaker_system_id', system.id)
    .where('user_id', userId)
  if (trx) query.useTransaction(trx)
  const row = await query.first()
  return row?.assigned ?? []
}

export async function speakerActor(
  user: User | null | undefined,
  meeting: Meeting,
  system: SpeakerListSystem | null
): Promise<SpeakerActor> {
  if (!user || user.organisationId !== meeting.organisationId || !user.isActive) {
    return { meetingRoles: [], systemRoles: [] }
  }
  return {
    meetingRoles: await meetingRolesOf(user.id, meeting),
    systemRoles: system ? await systemRolesOf(user.id, system) : [],
  }
}

export function systemFacts(
  system: SpeakerListSystem,
  meeting: Meeting
): SystemFacts & { pointOfOrderWhenClosed: boolean } {
  return {
    meetingState: meeting.state,
    systemState: system.state,
    meetingRolesToSpeaker: system.meetingRolesToSpeaker ?? [],
    activeListId: system.activeListId,
    pointOfOrderWhenClosed: system.pointOfOrderWhenClosed,
  }
}
