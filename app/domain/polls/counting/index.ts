/**
 * The counting library (poll-methods spec, section 9.1). Framework-free: used by the app, the Ace
 * commands and the standalone CLI (bin/count.ts).
 */
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
export { count } from './count.js'
