/** `majority` (section 5.3): one choice per ballot, at most two different choices. */
import type { MergedBallot } from './ballot_data.js'
import { fail } from './errors.js'
import type {
  CandidateId,
  MajorityBallot,
  MajorityResult,
  MethodOutcome,
  ProposalVotes,
  ValidDocument,
} from './types.js'

export function countMajority(
  doc: ValidDocument<'majority'>,
  ballots: ReadonlyArray<MergedBallot<MajorityBallot>>
): MethodOutcome<MajorityResult> {
  // One entry per merged ballot, in ballot order, then a stable ascending sort by votes.
  const results: ProposalVotes[] = ballots
    .map((b) => ({ proposal: b.ballot.choice, votes: b.count }))
    .sort((a, b) => a.votes - b.votes)
  if (results.length > 2) {
    fail(
      'too_many_choices',
      'ballots',
      `majority ballots name ${results.length} different candidates; at most 2 are allowed`
    )
  }
  let approved: CandidateId[] = []
  let denied: CandidateId[] = []
  const [low, high] = results
  if (results.length === 1 && low!.votes > 0) {
    // 10 #3: every other candidate is denied, not one arbitrary other.
    approved = [low!.proposal]
    denied = doc.candidates.filter((c) => c !== low!.proposal)
  } else if (results.length === 2 && low!.votes !== high!.votes) {
    approved = [high!.proposal]
    denied = [low!.proposal]
  }
  return { results, approved, denied }
}
