/**
 * `count` (section 9.1): validate, merge ballots, build the ballot data, tally with the method,
 * and add the common output keys of 9.4.
 */
import {
  ballotChecksum,
  mergeBallots,
  serializeBallotData,
  type MergedBallot,
} from './ballot_data.js'
import { countCombinedSimple } from './combined_simple.js'
import { countDutt } from './dutt.js'
import { countMajority } from './majority.js'
import { countRepeatedSchulze, countSchulze } from './schulze/index.js'
import { countSimple } from './simple.js'
import { countStvFamily } from './stv_family.js'
import type { CommonResult, CountResult, MethodId, MethodOutcome, ValidDocument } from './types.js'
import { validateDocument } from './validation.js'

type Tally = (
  doc: ValidDocument,
  ballots: ReadonlyArray<MergedBallot<never>>
) => MethodOutcome<CommonResult>

/** The tally of each method over merged ballots (sections 5–7). */
const TALLIES: Record<MethodId, Tally> = {
  simple: countSimple as never,
  combined_simple: countCombinedSimple as never,
  majority: countMajority as never,
  dutt: countDutt as never,
  schulze: countSchulze as never,
  repeated_schulze: countRepeatedSchulze as never,
  scottish_stv: countStvFamily as never,
  irv: countStvFamily as never,
  repeated_irv: countStvFamily as never,
  cpo_stv: countStvFamily as never,
}

/**
 * Counts one document (9.2). Deterministic for a given document and seed.
 * Throws CountInputError for structurally invalid input (9.3); poll rules are not applied.
 */
export function count(doc: unknown): CountResult {
  const valid = validateDocument(doc)
  // 4.3: merge ballots with equal vote strings, first position kept; methods count merged ballots.
  const merged = mergeBallots(valid.method, valid.ballots as never[])
  const ballotDataString = serializeBallotData(merged)
  let voteCount = 0
  for (const m of merged) voteCount += m.count

  const { seed, approved, denied, ...specific } = TALLIES[valid.method](valid, merged as never)
  const result: CommonResult & Record<string, unknown> = {
    method: valid.method,
    approved,
    denied,
    ...specific,
    vote_count: voteCount,
    abstains: valid.abstentions,
    ballot_data: ballotDataString,
    ballot_checksum_sha512: ballotChecksum(ballotDataString),
    seed: seed ?? valid.seed,
  }
  return result as unknown as CountResult
}
