/** `simple` (section 5.1): one proposal, yes against no. */
import type { MergedBallot } from './ballot_data.js'
import type { MethodOutcome, SimpleBallot, SimpleResult, ValidDocument } from './types.js'

export function countSimple(
  doc: ValidDocument<'simple'>,
  ballots: ReadonlyArray<MergedBallot<SimpleBallot>>
): MethodOutcome<SimpleResult> {
  let yes = 0
  let no = 0
  for (const b of ballots) {
    if (b.ballot.choice === 'yes') yes += b.count
    else no += b.count
  }
  const proposal = doc.candidates[0]!
  return {
    yes,
    no,
    approved: yes > no ? [proposal] : [],
    denied: yes < no ? [proposal] : [],
  }
}
