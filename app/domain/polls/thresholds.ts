/**
 * Quorum and majority rules of polls (beyond.md B-ADD-04, api.md §11.1),
 * evaluated at close against the frozen register. Pure functions.
 */
import type { CandidateId } from '#domain/polls/counting/index'

export interface QuorumRule {
  type: 'count' | 'percent_of_register'
  value: number
  /** Compare weights instead of heads. */
  weighted: boolean
}

export interface MajorityRule {
  type: 'simple' | 'two_thirds' | 'three_quarters' | 'absolute_of_register'
  /** Abstentions count in the base (they then work like "no"). */
  abstentions_count: boolean
}

export interface RegisterTotals {
  voters: number
  totalWeight: number
}

export interface Turnout {
  /** Voters who cast a vote or abstained. */
  voters: number
  weight: number
}

/** Methods whose results the majority rule applies to (api.md §11.1). */
export const majorityMethods = ['simple', 'combined_simple', 'majority'] as const

export function quorumMet(
  rule: QuorumRule | null,
  register: RegisterTotals,
  turnout: Turnout
): boolean | null {
  if (!rule) return null
  const cast = rule.weighted ? turnout.weight : turnout.voters
  if (rule.type === 'count') return cast >= rule.value
  const base = rule.weighted ? register.totalWeight : register.voters
  // Integer arithmetic: cast / base ≥ value / 100  ⇔  100 · cast ≥ value · base
  return 100 * cast >= rule.value * base
}

/** Whether `yes` votes pass the rule, given the no votes, abstentions and register weight. */
export function passesMajority(
  rule: MajorityRule,
  tally: { yes: number; no: number; abstain: number },
  register: RegisterTotals
): boolean {
  if (rule.type === 'absolute_of_register') return 2 * tally.yes > register.totalWeight
  const base = tally.yes + tally.no + (rule.abstentions_count ? tally.abstain : 0)
  if (base === 0) return false
  switch (rule.type) {
    case 'simple':
      return 2 * tally.yes > base
    case 'two_thirds':
      return 3 * tally.yes >= 2 * base
    case 'three_quarters':
      return 4 * tally.yes >= 3 * base
  }
}

export interface ThresholdOutcome {
  quorum_met: boolean | null
  majority_met: boolean | null
  approved: CandidateId[]
  denied: CandidateId[]
  /** `no_result` when the quorum failed: nothing is approved or denied. */
  outcome: 'counted' | 'no_result'
  reason: 'quorum_not_met' | null
}

interface CountedResult {
  method: string
  approved: CandidateId[]
  denied: CandidateId[]
  vote_count: number
  yes?: number
  no?: number
  results?: unknown
}

/** The yes/no/abstain tally of one approved candidate, per method. */
function tallyOf(result: CountedResult, candidate: CandidateId, abstains: number) {
  if (result.method === 'simple') {
    return { yes: result.yes ?? 0, no: result.no ?? 0, abstain: abstains }
  }
  if (result.method === 'combined_simple') {
    const row = (result.results as Record<string, { yes: number; no: number; abstain: number }>)[
      String(candidate)
    ]
    // A poll-level abstention abstains on every proposal as well.
    return { yes: row.yes, no: row.no, abstain: row.abstain + abstains }
  }
  // majority: the winner's votes against every other cast vote
  const rows = result.results as Array<{ proposal: CandidateId; votes: number }>
  const yes = rows.find((row) => row.proposal === candidate)?.votes ?? 0
  return { yes, no: result.vote_count - yes, abstain: abstains }
}

/**
 * Applies both rules to a counted result. A failed quorum voids the outcome;
 * a candidate that fails the majority rule is denied instead of approved.
 */
export function applyThresholds(input: {
  result: CountedResult
  abstains: number
  quorum: QuorumRule | null
  majority: MajorityRule | null
  register: RegisterTotals
  turnout: Turnout
}): ThresholdOutcome {
  const { result, quorum, register, turnout } = input
  const quorumResult = quorumMet(quorum, register, turnout)
  const appliesMajority =
    input.majority !== null && (majorityMethods as readonly string[]).includes(result.method)
  if (quorumResult === false) {
    return {
      quorum_met: false,
      majority_met: null,
      approved: [],
      denied: [],
      outcome: 'no_result',
      reason: 'quorum_not_met',
    }
  }
  if (!appliesMajority) {
    return {
      quorum_met: quorumResult,
      majority_met: null,
      approved: result.approved,
      denied: result.denied,
      outcome: 'counted',
      reason: null,
    }
  }
  const approved: CandidateId[] = []
  const denied = [...result.denied]
  let allPassed = true
  for (const candidate of result.approved) {
    if (passesMajority(input.majority!, tallyOf(result, candidate, input.abstains), register)) {
      approved.push(candidate)
    } else {
      allPassed = false
      denied.push(candidate)
    }
  }
  return {
    quorum_met: quorumResult,
    majority_met: allPassed,
    approved,
    denied,
    outcome: 'counted',
    reason: null,
  }
}
