/** The stored result shape of VoteIT, derived from the library output (section 4.6). */
import type { CandidateId, CountResult } from './types.js'

export function toStoredResult(
  result: CountResult,
  runtimeSeconds: number
): Record<string, unknown> {
  const common = { approved: result.approved, denied: result.denied, vote_count: result.vote_count }
  switch (result.method) {
    case 'simple':
      return { yes: result.yes, no: result.no, ...common, seed: result.seed }
    case 'combined_simple':
    case 'majority':
      return { results: result.results, ...common, seed: result.seed }
    case 'dutt':
      return {
        results: result.results,
        approved: [],
        denied: [],
        vote_count: result.vote_count,
        seed: result.seed,
      }
    case 'schulze':
      return {
        candidates: result.candidates,
        winner: result.winner,
        pairs: result.pairs,
        strong_pairs: result.strong_pairs,
        tied_winners: result.tied_winners,
        ...common,
        seed: result.seed,
      }
    case 'repeated_schulze':
      return { rounds: result.rounds, candidates: result.candidates, ...common, seed: result.seed }
    default: {
      // STV family: round tallies as [id, number] pairs in candidate order (K), no `winners` key.
      const byKey = new Map<string, CandidateId>(result.candidates.map((c) => [String(c), c]))
      const rounds = result.rounds.map((r) => ({
        method: r.method,
        status: r.status,
        selected: r.selected,
        vote_count: result.candidates
          .filter((c) => Object.hasOwn(r.vote_count, String(c)))
          .map((c): [CandidateId, number] => [byKey.get(String(c))!, r.vote_count[String(c)]!]),
      }))
      return {
        approved: result.approved,
        denied: result.denied,
        complete: result.complete,
        rounds,
        randomized: result.randomized,
        quota: result.quota,
        runtime: runtimeSeconds,
        empty_ballot_count: result.empty_ballot_count,
        random_order: result.randomized ? result.random_order : null,
        vote_count: result.vote_count,
        seed: result.seed,
      }
    }
  }
}
