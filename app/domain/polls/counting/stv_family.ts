/**
 * Glue between the counting interface and the STV core (section 7): builds the StvInput from a
 * validated document and checks the CPO cost cap (10 #16).
 */
import type { MergedBallot } from './ballot_data.js'
import { fail } from './errors.js'
import { countStv, cpoOutcomeCount } from './stv/index.js'
import type {
  MethodOutcome,
  StvBallot,
  StvFamilyMethodId,
  StvResult,
  ValidDocument,
} from './types.js'

export const MAX_CPO_OUTCOMES = 1000

export function countStvFamily(
  doc: ValidDocument<StvFamilyMethodId>,
  merged: ReadonlyArray<MergedBallot<StvBallot>>
): MethodOutcome<StvResult> {
  const s = doc.settings
  const winners = 'winners' in s ? s.winners : 1
  if (doc.method === 'cpo_stv' && doc.candidates.length > winners) {
    const outcomes = cpoOutcomeCount(doc.candidates.length, winners)
    if (outcomes > MAX_CPO_OUTCOMES) {
      fail(
        'too_many_outcomes',
        'settings.winners',
        `cpo_stv with ${doc.candidates.length} candidates and ${winners} winners has ${outcomes} possible outcomes; at most ${MAX_CPO_OUTCOMES} are counted`
      )
    }
  }
  const out = countStv({
    method: doc.method,
    candidates: doc.candidates,
    ballots: merged.map((m) => ({ ranking: m.ballot.ranking, count: m.count })),
    settings: {
      winners,
      allow_random: s.allow_random,
      random_order: s.random_order,
      pedantic_order: s.pedantic_order,
      quota_override: s.quota_override,
      tiebreak_strategies: s.tiebreak_strategies,
    },
    seed: doc.seed,
  })
  return {
    approved: out.approved,
    denied: out.denied,
    winners: out.winners,
    complete: out.complete,
    randomized: out.randomized,
    random_order: out.random_order,
    quota: out.quota,
    empty_ballot_count: out.empty_ballot_count,
    rounds: out.rounds,
    candidates: out.candidates,
    seed: out.seed,
  }
}
