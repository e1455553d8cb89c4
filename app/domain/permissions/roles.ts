/**
 * Role catalogue and closure rules (domain §3.1, §3.2). Framework-free.
 */

export type RoleContext = 'meeting' | 'organisation' | 'speaker_system'

export type MeetingRoleCode = 'pa' | 'mo' | 'pv' | 'di' | 'pr'
export type OrganisationRoleCode = 'org_manager' | 'meeting_creator'
export type SpeakerSystemRoleCode = 'list_moderator' | 'speaker'

export interface RoleDefinition<Code extends string = string> {
  name: Code
  title: string
  description: string
  requires: Code[]
}

export const meetingRoles: Record<MeetingRoleCode, RoleDefinition<MeetingRoleCode>> = {
  pa: {
    name: 'pa',
    title: 'Participant',
    description: 'Base role of every meeting member.',
    requires: [],
  },
  mo: { name: 'mo', title: 'Moderator', description: 'Runs the meeting.', requires: ['pa'] },
  pv: {
    name: 'pv',
    title: 'Potential voter',
    description: 'Eligibility input for electoral register policies.',
    requires: ['pa'],
  },
  di: { name: 'di', title: 'Discusser', description: 'May post in discussions.', requires: ['pa'] },
  pr: {
    name: 'pr',
    title: 'Proposer',
    description: 'May add and retract proposals.',
    requires: ['pa'],
  },
}

export const organisationRoles: Record<
  OrganisationRoleCode,
  RoleDefinition<OrganisationRoleCode>
> = {
  org_manager: {
    name: 'org_manager',
    title: 'Organisation manager',
    description:
      'Manages the organisation; sees every meeting; passes every meeting-creator check.',
    requires: [],
  },
  meeting_creator: {
    name: 'meeting_creator',
    title: 'Meeting creator',
    description: 'May create meetings.',
    requires: [],
  },
}

export const speakerSystemRoles: Record<
  SpeakerSystemRoleCode,
  RoleDefinition<SpeakerSystemRoleCode>
> = {
  list_moderator: {
    name: 'list_moderator',
    title: 'List moderator',
    description: 'Runs the speaker lists of the system.',
    requires: [],
  },
  speaker: {
    name: 'speaker',
    title: 'Speaker',
    description: 'May enter the lists of the system.',
    requires: [],
  },
}

/** Long legacy names used by dialect files (domain §3.2). */
export const meetingRoleAliases: Record<string, MeetingRoleCode> = {
  participant: 'pa',
  moderator: 'mo',
  potential_voter: 'pv',
  discusser: 'di',
  discuss: 'di',
  proposer: 'pr',
  propose: 'pr',
}

export function isRoleCode<Code extends string>(
  catalogue: Record<Code, RoleDefinition<Code>>,
  code: string
): code is Code {
  return Object.prototype.hasOwnProperty.call(catalogue, code)
}

/** Adding a role adds every role it requires, transitively (closure on add). */
export function addRoles<Code extends string>(
  catalogue: Record<Code, RoleDefinition<Code>>,
  assigned: readonly Code[],
  toAdd: readonly Code[]
): Code[] {
  const result = new Set<Code>(assigned)
  const visit = (code: Code) => {
    result.add(code)
    for (const required of catalogue[code].requires) {
      if (!result.has(required)) visit(required)
    }
  }
  toAdd.forEach(visit)
  return sortedByCatalogue(catalogue, result)
}

/** Removing a role removes every role that (transitively) requires it (closure on remove). */
export function removeRoles<Code extends string>(
  catalogue: Record<Code, RoleDefinition<Code>>,
  assigned: readonly Code[],
  toRemove: readonly Code[]
): Code[] {
  const removed = new Set<Code>(toRemove)
  let changed = true
  while (changed) {
    changed = false
    for (const code of assigned) {
      if (removed.has(code)) continue
      if (catalogue[code].requires.some((required) => removed.has(required))) {
        removed.add(code)
        changed = true
      }
    }
  }
  return sortedByCatalogue(
    catalogue,
    assigned.filter((code) => !removed.has(code))
  )
}

function sortedByCatalogue<Code extends string>(
  catalogue: Record<Code, RoleDefinition<Code>>,
  codes: Iterable<Code>
): Code[] {
  const order = Object.keys(catalogue) as Code[]
  const present = new Set(codes)
  return order.filter((code) => present.has(code))
}
