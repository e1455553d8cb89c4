/**
 * Plain facts an electoral register policy needs (domain §11). The app
 * gathers them from the database; the policies are pure functions of them.
 */
import type { MeetingRoleCode } from '#domain/permissions/roles'

export interface MemberFacts {
  userId: number
  roles: readonly MeetingRoleCode[]
  /** When the member set "I'm here" (ms since epoch); null when not active. */
  activeSince: number | null
}

export interface MembershipFacts {
  id: number
  userId: number
  /** The group role's `role_id` (e.g. `main`, `substitute`, `del_2`, `leader`), or null. */
  role: string | null
  /** Allocated weight for the next register (gv policies), or null. */
  votes: number | null
}

export interface GroupFacts {
  id: number
  groupid: string
  votes: number | null
  delegateTo: number | null
  tags: readonly string[]
  /** In membership creation order. */
  memberships: readonly MembershipFacts[]
}

export interface TransferFacts {
  sourceId: number
  targetId: number
}

export interface RegisterFacts {
  meetingId: number
  groupVotesActive: boolean
  /** The "Active users" component is enabled for the meeting. */
  activeUsersEnabled: boolean
  members: readonly MemberFacts[]
  groups: readonly GroupFacts[]
  transfers: readonly TransferFacts[]
}

/** user id → integer weight ≥ 1 (users with weight 0 are absent). */
export type VoterMap = Map<number, number>

export interface RegisterComputation {
  voters: VoterMap
  /** Membership vote allocations the policy writes so that they are visible (main_subst_active). */
  membershipVotes?: Map<number, number | null>
}

export interface PolicyFlags {
  available: boolean
  handlesVoteWeight: boolean
  allowManual: boolean
  requireManual: boolean
  allowTrigger: boolean
  allowPollErChange: boolean
  handlesActiveCheck: boolean
  /** null = indifferent; otherwise the meeting flag must match. */
  groupVotesActive: boolean | null
  handlesDelegateTo: boolean
  voteTransferPolicy: 'main_and_subst' | 'unrestricted' | null
  /** Recognised in imported data only: never applied to new registers. */
  historic?: boolean
}

export class RegisterError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly meta: Record<string, unknown> = {}
  ) {
    super(message)
    this.name = 'RegisterError'
  }
}
