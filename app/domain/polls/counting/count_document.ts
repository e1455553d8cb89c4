/**
 * Counting a count document given as text: the part of the counting CLI that both front ends share
 * (the standalone `npm run count`, bin/count.ts, and the Ace command `poll:count`), so that they
 * accept the same input and print the same results and error lines. Framework-free; reading the
 * file (or standard input) is left to the caller.
 */
import {
  bltToDocument,
  count,
  CountInputError,
  normalizeSettings,
  parseBlt,
  resolveMethod,
  startCheck,
  validateVote,
  type CountResult,
  type MethodId,
} from './index.js'
import { pollSettingsOf } from './settings.js'
import { formatPretty } from './pretty.js'

export interface CountTextOptions {
  /** Input format; by default BLT for names ending in `.blt`, JSON otherwise. */
  format?: 'json' | 'blt'
  /** Method for BLT input (default `scottish_stv`). */
  method?: string
  /** Seed for documents without one. */
  seed?: string
  /** A readable round-by-round table instead of one JSON line. */
  pretty?: boolean
  /** Also apply the poll rules (settings limits, start check, vote validation). */
  strict?: boolean
}

/** An input problem outside the counting library's own checks (unreadable file, bad JSON, --strict). */
export class InputProblem extends Error {}

/** Exit codes of both counting front ends. */
export const EXIT_INVALID = 2
export const EXIT_INTERNAL = 3

/** Parses the text of one input into a count document (JSON, or a BLT profile converted). */
export function loadCountDocument(text: string, name: string, opts: CountTextOptions): unknown {
  const blt = opts.format === 'blt' || (opts.format === undefined && /\.blt$/i.test(name))
  if (blt) {
    const method =
      opts.method === undefined ? 'scottish_stv' : resolveMethod(opts.method, '--method')
    return bltToDocument(parseBlt(text), method)
  }
  if (opts.method !== undefined) throw new InputProblem('--method applies to BLT input only')
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) // tolerate a UTF-8 byte-order mark
  } catch (error) {
    throw new InputProblem(`invalid JSON: ${(error as Error).message}`)
  }
}

/** `--strict`: the poll rules of sections 2 and 3.1 on top of the counting rules. */
function applyPollRules(doc: Record<string, unknown>, result: CountResult): void {
  const method: MethodId = result.method
  const settings = normalizeSettings(method, pollSettingsOf(method, doc.settings))
  const candidates = doc.candidates as Array<number | string>
  const problems = startCheck(method, settings, candidates.length)
  if (problems.length) throw new InputProblem(`poll rules: ${problems[0]}`)
  const ballots = doc.ballots as Array<Record<string, unknown>>
  ballots.forEach((ballot, i) => {
    const payload = { ...ballot }
    delete payload.count
    const issues = validateVote(method, settings, candidates, payload)
    if (issues.length) throw new InputProblem(`ballots[${i}]: poll rules: ${issues[0]}`)
  })
}

/**
 * Counts the text of one input and returns the output for it (one compact JSON line, or the
 * `--pretty` table), without a trailing newline. Throws CountInputError or InputProblem for bad input.
 */
export function countText(text: string, name: string, opts: CountTextOptions): string {
  const doc = loadCountDocument(text, name, opts)
  if (opts.seed !== undefined && typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    const d = doc as Record<string, unknown>
    if (d.seed === undefined || d.seed === null) d.seed = opts.seed
  }
  const result = count(doc)
  if (opts.strict) applyPollRules(doc as Record<string, unknown>, result)
  return opts.pretty ? formatPretty(result) : JSON.stringify(result)
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ')
}

/**
 * The one error line (without newline) and exit code for a failure while counting the input
 * called `name` (`<stdin>` for standard input).
 */
export function describeCountFailure(
  name: string,
  error: unknown
): { line: string; exitCode: number } {
  if (error instanceof CountInputError) {
    return { line: `${name}: ${oneLine(error.message)} [${error.code}]`, exitCode: EXIT_INVALID }
  }
  if (error instanceof InputProblem)
    return { line: `${name}: ${oneLine(error.message)}`, exitCode: EXIT_INVALID }
  const message = error instanceof Error ? error.message : String(error)
  return { line: `${name}: internal error: ${oneLine(message)}`, exitCode: EXIT_INTERNAL }
}
