/** `combined_simple` (section 5.2): yes/no/abstain per proposal. */
import type { MergedBallot } from './ballot_data.js'
import { idKey } from './ids.js'
import type {
  CandidateId,
  CombinedSimpleBallot,
  CombinedSimpleResult,
  MethodOutcome,
  ValidDocument,
} from './types.js'

export function countCombinedSimple(
  doc: ValidDocument<'combined_simple'>,
  ballots: ReadonlyArray<MergedBallot<CombinedSimpleBallot>>
): MethodOutcome<CombinedSimpleResult> {
  const sets = ballots.map((b) => ({
    yes: new Set(b.ballot.yes),
    no: new Set(b.ballot.no),
    count: b.count,
  }))
  const results: CombinedSimpleResult['results'] = {}
  const approved: CandidateId[] = []
  const denied: CandidateId[] = []
  for (const p of doc.candidates) {
    const tally = { yes: 0, no: 0, abstain: 0 }
    for (const b of sets) {
      // yes wins over no; a proposal the ballot does not mention is an abstention (10 #25).
      if (b.yes.has(p)) tally.yes += b.count
      else if (b.no.has(p)) tally.no += b.count
      else tally.abstain += b.count
    }
    results[idKey(p)] = tally
    if (tally.yes > tally.no) approved.push(p)
    else if (tally.yes < tally.no) denied.push(p)
  }
  return { results, approved, denied }
}
