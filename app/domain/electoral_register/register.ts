/**
 * The generic register algorithm of domain §11.3 and the manual-weights rule
 * of §11.6, over plain values.
 */
import { erPolicies, isErPolicyName, type ErPolicy } from '#domain/electoral_register/policies'
import {
  RegisterError,
  type RegisterFacts,
  type RegisterComputation,
  type VoterMap,
} from '#domain/electoral_register/types'

export function policyFor(name: string | null | undefined): ErPolicy {
  if (!name || !isErPolicyName(name) || erPolicies[name].flags.historic) {
    throw new RegisterError(
      'meeting.invalid_er_policy',
      'Must have valid electoral register policy name'
    )
  }
  return erPolicies[name]
}

/** Flag check against the meeting (domain §11.2 group_votes_active). */
export function assertPolicyFitsMeeting(policy: ErPolicy, groupVotesActive: boolean) {
  const wanted = policy.flags.groupVotesActive
  if (wanted !== null && wanted !== groupVotesActive) {
    throw new RegisterError(
      'er.policy_mismatch',
      wanted
        ? `The policy "${policy.name}" needs group votes to be active in the meeting`
        : `The policy "${policy.name}" cannot be used while group votes are active`,
      { policy: policy.name }
    )
  }
}

export function computeRegister(policyName: string, facts: RegisterFacts): RegisterComputation {
  const policy = policyFor(policyName)
  assertPolicyFitsMeeting(policy, facts.groupVotesActive)
  return policy.computeVoters(facts)
}

export function sameVoters(a: VoterMap, b: VoterMap): boolean {
  if (a.size !== b.size) return false
  for (const [userId, weight] of a) if (b.get(userId) !== weight) return false
  return true
}

/** new_er_needed (domain §11.3): only while the meeting is ongoing. */
export function newRegisterNeeded(options: {
  meetingOngoing: boolean
  policy: ErPolicy
  latest: VoterMap | null
  voters: VoterMap
}): boolean {
  if (!options.meetingOngoing) return false
  if (options.latest === null)
    return options.policy.flags.allowPollErChange || options.voters.size > 0
  return !sameVoters(options.latest, options.voters)
}

/**
 * Manual register (§11.6): weights ≥ 1, no duplicates, every user holds pv.
 * Returns the voter map; field-level problems are reported with their index.
 */
export function manualVoters(
  weights: ReadonlyArray<{ user: number; weight: number }>,
  potentialVoters: ReadonlySet<number>
): VoterMap {
  const voters: VoterMap = new Map()
  weights.forEach(({ user, weight }, index) => {
    if (!Number.isInteger(weight) || weight < 1) {
      throw new RegisterError('validation.failed', 'Weights must be whole numbers of at least 1', {
        field: `weights.${index}.weight`,
      })
    }
    if (voters.has(user)) {
      throw new RegisterError('validation.failed', 'A user is listed twice', {
        field: `weights.${index}.user`,
      })
    }
    if (!potentialVoters.has(user)) {
      throw new RegisterError(
        'er.policy_mismatch',
        'Every user in a register must be a potential voter',
        {
          field: `weights.${index}.user`,
        }
      )
    }
    voters.set(user, weight)
  })
  return new Map([...voters].sort(([a], [b]) => a - b))
}

export function totalWeight(voters: VoterMap): number {
  let total = 0
  for (const weight of voters.values()) total += weight
  return total
}
