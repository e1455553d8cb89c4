/**
 * The counting library (poll-methods spec, section 9.1). Framework-free: used by the app, the Ace
 * commands and the standalone CLI (bin/count.ts).
 */
import { ballotChecksum, mergeBallots, serializeBallotData } from './ballot_data.js'
import { pollMethods } from './registry.js'
import type { CommonResult, CountResult } from './types.js'
import { validateDocument } from './validation.js'

export type * from './types.js'
export { METHOD_IDS, HISTORIC_METHOD_IDS, METHOD_ALIASES } from './types.js'
export { CountInputError, ERROR_CODES, type ErrorCode, type CountIssue } from './errors.js'
export { normalizeSettings } from './settings.js'
export { startCheck, validateVote } from './rules.js'
export { voteString, ballotData, ballotChecksum } from './ballot_data.js'
export { toStoredResult } from './stored_result.js'
export { pollMethods, type PollMethodInfo, type SettingSchema } from './registry.js'
export { resolveMethod } from './validation.js'
export { parseBlt, bltToDocument, type BltProfile } from './blt.js'

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

  const method = pollMethods[valid.method]
  const { seed, approved, denied, ...specific } = method.count(valid as never, merged as never)
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
