/** Counting input errors (poll-methods spec, section 9.3). */

export const ERROR_CODES = [
  'invalid_document',
  'unknown_method',
  'invalid_settings',
  'unknown_candidate',
  'duplicate_candidate',
  'invalid_ballot',
  'not_enough_candidates',
  'too_many_choices',
  'too_many_outcomes',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface CountIssue {
  /** e.g. "ballots[3].ranking[1]"; "" for the document itself */
  path: string
  message: string
}

/**
 * Thrown by `count` (and the poll-rule helpers) for input that cannot be counted.
 * `message` is one line: "<path>: <message>" of the first issue.
 */
export class CountInputError extends Error {
  readonly code: ErrorCode
  readonly issues: CountIssue[]

  constructor(code: ErrorCode, issues: CountIssue[] | CountIssue) {
    const list = Array.isArray(issues) ? issues : [issues]
    const first = list[0]
    super(first ? formatIssue(first) : code)
    this.name = 'CountInputError'
    this.code = code
    this.issues = list
  }
}

export function formatIssue(issue: CountIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message
}

/** Shorthand for throwing a single-issue error. */
export function fail(code: ErrorCode, path: string, message: string): never {
  throw new CountInputError(code, { path, message })
}
