/**
 * Structural validation of a count document (sections 9.2 and 9.3). Only what is needed to count:
 * the poll rules live in settings.ts (`normalizeSettings`) and rules.ts.
 */
import { fail } from './errors.js'
import { idKey, isCandidateId } from './ids.js'
import { isSchulzeMethod, parseSettings } from './settings.js'
import {
  HISTORIC_METHOD_IDS,
  METHOD_ALIASES,
  METHOD_IDS,
  type BallotByMethod,
  type CandidateId,
  type MethodId,
  type ValidDocument,
} from './types.js'

type Raw = Record<string, unknown>

function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))
}

/** Resolves a method name: current ids, VoteIT 3 aliases; historic ids are refused (section 1). */
export function resolveMethod(value: unknown, path = 'method'): MethodId {
  if (value === undefined) return fail('invalid_document', path, 'is required')
  if (typeof value !== 'string')
    return fail('invalid_document', path, `must be a string, got ${show(value)}`)
  if ((METHOD_IDS as readonly string[]).includes(value)) return value as MethodId
  const alias = METHOD_ALIASES[value]
  if (alias) return alias
  if ((HISTORIC_METHOD_IDS as readonly string[]).includes(value)) {
    return fail('unknown_method', path, `historic methods can't be used (${value})`)
  }
  return fail('unknown_method', path, `unknown method ${show(value)}`)
}

export function validateCandidates(value: unknown): CandidateId[] {
  if (value === undefined) return fail('invalid_document', 'candidates', 'is required')
  if (!Array.isArray(value) || value.length === 0) {
    return fail('invalid_document', 'candidates', 'must be a non-empty list of ids')
  }
  const seen = new Set<string>()
  let kind: 'number' | 'string' | null = null
  value.forEach((id, i) => {
    const path = `candidates[${i}]`
    if (!isCandidateId(id))
      fail('invalid_document', path, `must be an integer or a string, got ${show(id)}`)
    const k = typeof id as 'number' | 'string'
    if (kind !== null && kind !== k)
      fail('invalid_document', path, 'ids must be all integers or all strings')
    kind = k
    if (seen.has(idKey(id))) fail('invalid_document', path, `duplicate candidate ${show(id)}`)
    seen.add(idKey(id))
  })
  return value as CandidateId[]
}

function nonNegativeInt(value: unknown, path: string, required: boolean): number | undefined {
  if (value === undefined) {
    if (required) fail('invalid_document', path, 'is required')
    return undefined
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return fail('invalid_document', path, `must be a non-negative integer, got ${show(value)}`)
  }
  return value
}

/** Payload keys per method (besides `count`). */
const PAYLOAD_KEYS: Record<MethodId, readonly string[]> = {
  simple: ['choice'],
  combined_simple: ['yes', 'no', 'abstain'],
  majority: ['choice'],
  dutt: ['choices'],
  schulze: ['ranking'],
  repeated_schulze: ['ranking'],
  scottish_stv: ['ranking'],
  irv: ['ranking'],
  repeated_irv: ['ranking'],
  cpo_stv: ['ranking'],
}

export class BallotReader {
  /** id → dense index; duplicates are detected with a per-ballot generation stamp (hot path). */
  readonly #index = new Map<CandidateId, number>()
  readonly #stamp: Int32Array
  #generation = 0

  constructor(candidates: readonly CandidateId[], denyOption: boolean) {
    candidates.forEach((c, i) => this.#index.set(c, i))
    // `0` is the virtual "deny all" candidate only with deny_proposal (9.2).
    if (denyOption) this.#index.set(0, candidates.length)
    this.#stamp = new Int32Array(this.#index.size)
  }

  /** Starts a new ballot for duplicate detection. */
  nextBallot(): void {
    this.#generation++
  }

  /** `path(i)` builds the error path only when there is an error (hot path: no closures). */
  id(value: unknown, base: string, i: number, suffix = ''): CandidateId {
    if (!this.#index.has(value as CandidateId)) {
      const path = `${base}[${i}]${suffix}`
      if (!isCandidateId(value))
        return fail('invalid_ballot', path, `must be a candidate id, got ${show(value)}`)
      return fail('unknown_candidate', path, `unknown candidate ${show(value)}`)
    }
    return value as CandidateId
  }

  /** A single id at `path` (majority's choice). */
  idAt(value: unknown, path: string): CandidateId {
    if (this.#index.has(value as CandidateId)) return value as CandidateId
    if (!isCandidateId(value))
      return fail('invalid_ballot', path, `must be a candidate id, got ${show(value)}`)
    return fail('unknown_candidate', path, `unknown candidate ${show(value)}`)
  }

  /** Marks `id` as seen on the current ballot; fails when it already was. */
  once(id: CandidateId, base: string, i: number): void {
    const k = this.#index.get(id)!
    if (this.#stamp[k] === this.#generation) {
      fail('duplicate_candidate', `${base}[${i}]`, `duplicate candidate ${show(id)}`)
    }
    this.#stamp[k] = this.#generation
  }

  idList(value: unknown, path: string): CandidateId[] {
    if (!Array.isArray(value)) {
      return fail('invalid_ballot', path, `must be a list of candidate ids, got ${show(value)}`)
    }
    for (let i = 0; i < value.length; i++) this.once(this.id(value[i], path, i), path, i)
    // Validated in place: the caller's array is reused, never mutated (no copy for large profiles).
    return value as CandidateId[]
  }
}

export function validateBallot<M extends MethodId>(
  method: M,
  raw: unknown,
  index: number,
  reader: BallotReader
): BallotByMethod[M] {
  const path = `ballots[${index}]`
  if (!isPlainObject(raw))
    return fail('invalid_ballot', path, `must be an object, got ${show(raw)}`)
  const count = nonNegativeInt(raw.count, `${path}.count`, true) as number
  const allowed = PAYLOAD_KEYS[method]
  for (const key of Object.keys(raw)) {
    if (key !== 'count' && !allowed.includes(key)) {
      fail('invalid_ballot', `${path}.${key}`, `unexpected key for a ${method} ballot`)
    }
  }
  reader.nextBallot()
  const need = (key: string) => {
    if (!(key in raw))
      fail('invalid_ballot', `${path}.${key}`, `is required for a ${method} ballot`)
    return raw[key]
  }

  switch (method) {
    case 'simple': {
      const choice = need('choice')
      if (choice !== 'yes' && choice !== 'no') {
        fail('invalid_ballot', `${path}.choice`, `must be "yes" or "no", got ${show(choice)}`)
      }
      return { choice, count } as BallotByMethod[M]
    }
    case 'combined_simple': {
      // one duplicate scope across yes/no/abstain (reader.nextBallot above)
      const list = (key: string) => (key in raw ? reader.idList(raw[key], `${path}.${key}`) : [])
      return {
        yes: list('yes'),
        no: list('no'),
        abstain: list('abstain'),
        count,
      } as BallotByMethod[M]
    }
    case 'majority':
      return {
        choice: reader.idAt(need('choice'), `${path}.choice`),
        count,
      } as BallotByMethod[M]
    case 'dutt':
      return {
        choices: reader.idList(need('choices'), `${path}.choices`),
        count,
      } as BallotByMethod[M]
    case 'schulze':
    case 'repeated_schulze': {
      const ranking = need('ranking')
      const rp = `${path}.ranking`
      if (!Array.isArray(ranking))
        return fail('invalid_ballot', rp, 'must be a list of [id, stars] pairs')
      if (ranking.length === 0)
        return fail('invalid_ballot', rp, 'must rate at least one candidate')
      for (const [i, pair] of (ranking as unknown[]).entries()) {
        if (!Array.isArray(pair) || pair.length !== 2) {
          return fail(
            'invalid_ballot',
            `${rp}[${i}]`,
            `must be an [id, stars] pair, got ${show(pair)}`
          )
        }
        const id = reader.id(pair[0], rp, i)
        reader.once(id, rp, i)
        const stars: unknown = pair[1]
        // 10 #20: stars above settings.stars are counted as given; only their type is checked.
        if (typeof stars !== 'number' || !Number.isSafeInteger(stars) || stars < 0) {
          fail(
            'invalid_ballot',
            `${rp}[${i}][1]`,
            `stars must be a non-negative integer, got ${show(stars)}`
          )
        }
      }
      return { ranking: ranking as Array<[CandidateId, number]>, count } as BallotByMethod[M]
    }
    default:
      // STV family: a ranking of ids, best first; [] is an empty ballot (7.1).
      return {
        ranking: reader.idList(need('ranking'), `${path}.ranking`),
        count,
      } as BallotByMethod[M]
  }
}

/** Validates a count document and applies the defaults (9.2/9.3). Throws CountInputError. */
export function validateDocument(doc: unknown): ValidDocument {
  if (!isPlainObject(doc))
    return fail('invalid_document', '', 'the count document must be a JSON object')
  const method = resolveMethod(doc.method)
  const candidates = validateCandidates(doc.candidates)
  const settings = parseSettings(method, doc.settings, candidates)

  const deny = isSchulzeMethod(method) && (settings as { deny_proposal: boolean }).deny_proposal
  if (deny) {
    const i = candidates.findIndex((c) => c === 0)
    if (i >= 0)
      fail(
        'invalid_document',
        `candidates[${i}]`,
        '0 is reserved for the deny option (deny_proposal)'
      )
  }
  if (method === 'simple' && candidates.length !== 1) {
    fail(
      'not_enough_candidates',
      'candidates',
      `simple needs exactly 1 candidate, got ${candidates.length}`
    )
  }

  if (doc.ballots === undefined) fail('invalid_document', 'ballots', 'is required')
  if (!Array.isArray(doc.ballots)) fail('invalid_document', 'ballots', 'must be a list')
  const reader = new BallotReader(candidates, deny)
  const rawBallots = doc.ballots as unknown[]
  const ballots = new Array<BallotByMethod[MethodId]>(rawBallots.length)
  for (let i = 0; i < rawBallots.length; i++)
    ballots[i] = validateBallot(method, rawBallots[i], i, reader)

  const abstentions = nonNegativeInt(doc.abstentions, 'abstentions', false) ?? 0
  if (doc.seed !== undefined && doc.seed !== null && typeof doc.seed !== 'string') {
    fail('invalid_document', 'seed', `must be a string, got ${show(doc.seed)}`)
  }
  const seed = typeof doc.seed === 'string' ? doc.seed : null

  return { method, settings, candidates, ballots, abstentions, seed } as ValidDocument
}
