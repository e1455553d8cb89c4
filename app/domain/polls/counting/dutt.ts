/** `dutt` (section 5.4): approval-style tallies, never decides. */
import type { MergedBallot } from './ballot_data.js'
import { idKey, sortIds } from './ids.js'
import type { CandidateId, DuttBallot, DuttResult, MethodOutcome, ValidDocument } from './types.js'

export function countDutt(
  _doc: ValidDocument<'dutt'>,
  ballots: ReadonlyArray<MergedBallot<DuttBallot>>
): MethodOutcome<DuttResult> {
  // Map keeps first-tallied order; ids ascending within each ballot.
  const tally = new Map<CandidateId, number>()
  for (const b of ballots) {
    for (const id of sortIds(b.ballot.choices)) tally.set(id, (tally.get(id) ?? 0) + b.count)
  }
  const results = [...tally].map(([proposal, votes]) => ({ proposal, votes }))
  const votesPerProposal: Record<string, number> = {}
  for (const [id, votes] of tally) votesPerProposal[idKey(id)] = votes
  return { results, votes_per_proposal: votesPerProposal, approved: [], denied: [] }
}
