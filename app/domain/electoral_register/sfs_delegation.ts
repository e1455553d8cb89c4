/**
 * SFS delegation weights (dialect `sfsfum`, domain §11.6 last bullet): a
 * group leader or a moderator hands the group's votes to some of its members.
 * The weights become the members' `GroupMembership.votes`, which the
 * `gv_auto_before_p` policy sums into the next register. Framework-free.
 */

export const SFS_POLICY = 'gv_auto_before_p'
/** The group role (its `role_id`) that lets a member set the weights of their group. */
export const SFS_LEADER_ROLE = 'leader'

export interface SfsWeight {
  user: number
  weight: number
}

export interface SfsFacts {
  erPolicyName: string | null
  /** The group's `votes`. */
  groupVotes: number | null
  /** user id → whether the member holds `pv`; only members of the group are listed. */
  members: ReadonlyMap<number, { pv: boolean }>
}

export interface SfsViolation {
  code: string
  message: string
  /** The offending field (`weights`, `weights.2.user`, …); absent for meeting/group-level rules. */
  field?: string
  rule?: string
}

/**
 * The first rule the weights break, or null. Meeting- and group-level rules
 * come first (they do not depend on the input), then each entry in order,
 * then the sum.
 */
export function sfsViolation(weights: readonly SfsWeight[], facts: SfsFacts): SfsViolation | null {
  if (facts.erPolicyName !== SFS_POLICY) {
    return {
      code: 'sfs.policy_mismatch',
      message: `Delegation weights need the register policy ${SFS_POLICY}`,
    }
  }
  if (!facts.groupVotes || facts.groupVotes <= 0) {
    return { code: 'sfs.group_without_votes', message: 'The group has no votes to hand out' }
  }
  const seen = new Set<number>()
  let sum = 0
  for (const [index, entry] of weights.entries()) {
    const field = `weights.${index}`
    if (!Number.isInteger(entry.weight) || entry.weight <= 0) {
      return invalid(`${field}.weight`, 'Each weight must be a whole number above 0', 'min')
    }
    if (seen.has(entry.user)) {
      return invalid(`${field}.user`, 'The user is listed twice', 'distinct')
    }
    seen.add(entry.user)
    const member = facts.members.get(entry.user)
    if (!member) {
      return invalid(`${field}.user`, 'The user is not a member of the group', 'member')
    }
    if (!member.pv) {
      return invalid(`${field}.user`, 'The user is not a potential voter', 'pv')
    }
    sum += entry.weight
  }
  if (sum !== facts.groupVotes) {
    return invalid(
      'weights',
      `The weights add up to ${sum}; the group has ${facts.groupVotes} votes`,
      'sum'
    )
  }
  return null
}

function invalid(field: string, message: string, rule: string): SfsViolation {
  return { code: 'validation.failed', message, field, rule }
}

/** membership user id → new `votes` (listed members get their weight, the others null). */
export function sfsAllocation(
  weights: readonly SfsWeight[],
  memberIds: readonly number[]
): Map<number, number | null> {
  const byUser = new Map(weights.map((entry) => [entry.user, entry.weight]))
  return new Map(memberIds.map((userId) => [userId, byUser.get(userId) ?? null]))
}
