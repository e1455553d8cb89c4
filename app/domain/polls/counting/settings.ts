/**
 * Settings: defaults, types (both layers) and poll-rule limits (section 2).
 *
 * `parseSettings` is the counting layer (9.3): defaults, key names and types, plus what is needed
 * to count at all (winners within the candidates, library options). `normalizeSettings` is the
 * poll layer: the same defaults and types, no library options, and the limits of section 2.
 */
import { CountInputError, fail } from './errors.js'
import { idKey, isCandidateId } from './ids.js'
import type {
  CandidateId,
  CountSettingsByMethod,
  MethodId,
  PollSettingsByMethod,
  Settings,
  TiebreakStrategy,
} from './types.js'

const STV_LIBRARY_KEYS = ['random_order', 'pedantic_order', 'quota_override', 'tiebreak_strategies']
const SCHULZE_LIBRARY_KEYS = ['random_order']

/** Poll-setting keys per method (section 2). */
export const POLL_SETTING_KEYS: Record<MethodId, readonly string[]> = {
  simple: [],
  combined_simple: [],
  majority: [],
  dutt: ['min', 'max'],
  schulze: ['stars', 'deny_proposal'],
  repeated_schulze: ['stars', 'deny_proposal', 'winners'],
  scottish_stv: ['winners', 'allow_random'],
  irv: ['allow_random'],
  repeated_irv: ['winners', 'allow_random', 'min', 'max'],
  cpo_stv: ['winners', 'allow_random'],
}

export function libraryKeys(method: MethodId): readonly string[] {
  switch (method) {
    case 'schulze':
    case 'repeated_schulze':
      return SCHULZE_LIBRARY_KEYS
    case 'scottish_stv':
    case 'irv':
    case 'repeated_irv':
    case 'cpo_stv':
      return STV_LIBRARY_KEYS
    default:
      return []
  }
}

export function isStvMethod(
  method: MethodId
): method is 'scottish_stv' | 'irv' | 'repeated_irv' | 'cpo_stv' {
  return (
    method === 'scottish_stv' ||
    method === 'irv' ||
    method === 'repeated_irv' ||
    method === 'cpo_stv'
  )
}

export function isSchulzeMethod(method: MethodId): method is 'schulze' | 'repeated_schulze' {
  return method === 'schulze' || method === 'repeated_schulze'
}

type Raw = Record<string, unknown>

function isPlainObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  if (typeof value === 'number') return String(value)
  return typeof value
}

const bad = (key: string, message: string): never =>
  fail('invalid_settings', `settings.${key}`, message)

function readBool(raw: Raw, key: string, fallback: boolean): boolean {
  if (!(key in raw)) return fallback
  const v = raw[key]
  if (typeof v !== 'boolean') bad(key, `must be true or false, got ${describe(v)}`)
  return v as boolean
}

interface IntOptions {
  nullable?: boolean
  /** "" is read as null (repeated_schulze winners) */
  emptyIsNull?: boolean
  /** 0 is read as null (repeated_irv min/max) */
  zeroIsNull?: boolean
  required?: boolean
}

function readInt(
  raw: Raw,
  key: string,
  fallback: number | null,
  opts: IntOptions = {}
): number | null {
  if (!(key in raw) || raw[key] === undefined) {
    if (opts.required) bad(key, 'is required')
    return fallback
  }
  let v = raw[key]
  if (opts.emptyIsNull && v === '') v = null
  if (opts.zeroIsNull && v === 0) v = null
  if (v === null) {
    if (opts.nullable) return null
    return bad(key, opts.required ? 'is required' : 'must be an integer, got null')
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    return bad(key, `must be an integer${opts.nullable ? ' or null' : ''}, got ${describe(v)}`)
  }
  return v
}

function checkUnknownKeys(
  method: MethodId,
  raw: Raw,
  allowed: readonly string[],
  library: boolean
) {
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue
    if (!library && libraryKeys(method).includes(key)) {
      bad(key, 'is a counting-library option and not a poll setting')
    }
    bad(key, `unknown setting for ${method}`)
  }
}

/** Reads and defaults the poll settings of a method; types only, no range limits. */
function readPollSettings<M extends MethodId>(method: M, raw: Raw): PollSettingsByMethod[M] {
  let out: Settings
  switch (method) {
    case 'simple':
    case 'combined_simple':
    case 'majority':
      out = {}
      break
    case 'dutt':
      out = { min: readInt(raw, 'min', 0) as number, max: readInt(raw, 'max', 0) as number }
      break
    case 'schulze':
      out = {
        stars: readInt(raw, 'stars', 5) as number,
        deny_proposal: readBool(raw, 'deny_proposal', false),
      }
      break
    case 'repeated_schulze':
      out = {
        stars: readInt(raw, 'stars', 5) as number,
        deny_proposal: readBool(raw, 'deny_proposal', false),
        winners: readInt(raw, 'winners', null, { nullable: true, emptyIsNull: true }),
      }
      break
    case 'scottish_stv':
    case 'cpo_stv':
      out = {
        winners: readInt(raw, 'winners', null, { required: true }) as number,
        allow_random: readBool(raw, 'allow_random', true),
      }
      break
    case 'irv':
      out = { allow_random: readBool(raw, 'allow_random', true) }
      break
    case 'repeated_irv':
      out = {
        winners: readInt(raw, 'winners', null, { required: true }) as number,
        allow_random: readBool(raw, 'allow_random', true),
        min: readInt(raw, 'min', null, { nullable: true, zeroIsNull: true }),
        max: readInt(raw, 'max', null, { nullable: true, zeroIsNull: true }),
      }
      break
    default:
      throw new Error(`unhandled method ${String(method)}`)
  }
  return out as PollSettingsByMethod[M]
}

function rawObject(settings: unknown): Raw {
  if (settings === null || settings === undefined) return {}
  if (!isPlainObject(settings)) {
    return fail(
      'invalid_settings',
      'settings',
      `must be an object or null, got ${describe(settings)}`
    )
  }
  return settings
}

function readRandomOrder(
  raw: Raw,
  candidates: readonly CandidateId[],
  denyOption: boolean
): CandidateId[] | null {
  if (!('random_order' in raw) || raw.random_order === null) return null
  const v = raw.random_order
  if (!Array.isArray(v))
    return bad('random_order', `must be a list of candidate ids, got ${describe(v)}`)
  const known = new Map<CandidateId, CandidateId>(candidates.map((c) => [c, c]))
  if (denyOption) known.set(0, 0)
  const seen = new Set<string>()
  const order: CandidateId[] = []
  v.forEach((id, i) => {
    const path = `settings.random_order[${i}]`
    if (!isCandidateId(id) || !known.has(id)) {
      fail('invalid_settings', path, `unknown candidate ${JSON.stringify(id)}`)
    }
    const key = idKey(id as CandidateId)
    if (seen.has(key)) fail('invalid_settings', path, `duplicate candidate ${JSON.stringify(id)}`)
    seen.add(key)
    order.push(id as CandidateId)
  })
  for (const c of candidates) {
    if (!seen.has(idKey(c))) bad('random_order', `missing candidate ${JSON.stringify(c)}`)
  }
  // 8.3: with deny_proposal, 0 is appended when the list does not contain it.
  if (denyOption && !seen.has('0')) order.push(0)
  return order
}

function readStrategies(raw: Raw): TiebreakStrategy[] | null {
  if (!('tiebreak_strategies' in raw) || raw.tiebreak_strategies === null) return null
  const v = raw.tiebreak_strategies
  if (!Array.isArray(v)) return bad('tiebreak_strategies', `must be a list, got ${describe(v)}`)
  return v.map((s, i) => {
    if (s !== 'history' && s !== 'random') {
      fail(
        'invalid_settings',
        `settings.tiebreak_strategies[${i}]`,
        `unknown tie-break strategy ${JSON.stringify(s)} (expected "history" or "random")`
      )
    }
    return s as TiebreakStrategy
  })
}

/**
 * Counting layer (9.2/9.3): defaults, types, library options, and only the limits needed to
 * count at all. `candidates` are the document's validated candidates.
 */
export function parseSettings<M extends MethodId>(
  method: M,
  settings: unknown,
  candidates: readonly CandidateId[]
): CountSettingsByMethod[M] {
  const raw = rawObject(settings)
  checkUnknownKeys(method, raw, [...POLL_SETTING_KEYS[method], ...libraryKeys(method)], true)
  const poll = readPollSettings(method, raw) as Record<string, unknown>

  if (method === 'repeated_schulze' && poll.winners !== null && (poll.winners as number) < 1) {
    bad('winners', `must be at least 1, got ${String(poll.winners)}`)
  }
  if (isSchulzeMethod(method)) {
    return {
      ...poll,
      random_order: readRandomOrder(raw, candidates, poll.deny_proposal as boolean),
    } as never
  }
  if (isStvMethod(method)) {
    if ('winners' in poll) {
      const w = poll.winners as number
      if (w < 1) bad('winners', `must be at least 1, got ${w}`)
      if (w > candidates.length) {
        bad('winners', `must not exceed the number of candidates (${candidates.length}), got ${w}`)
      }
    }
    const pedantic = readBool(raw, 'pedantic_order', false)
    const quota = readInt(raw, 'quota_override', null, { nullable: true })
    if (quota !== null && quota < 1) bad('quota_override', `must be at least 1, got ${quota}`)
    return {
      ...poll,
      random_order: readRandomOrder(raw, candidates, false),
      pedantic_order: pedantic,
      quota_override: quota,
      tiebreak_strategies: readStrategies(raw),
    } as never
  }
  return poll as never
}

/**
 * Poll layer (section 2): defaults and the poll-rule limits. Library options are refused: the app
 * never stores them. Throws CountInputError with code `invalid_settings` (all issues listed).
 */
export function normalizeSettings<M extends MethodId>(
  method: M,
  settings: unknown
): PollSettingsByMethod[M] {
  const raw = rawObject(settings)
  checkUnknownKeys(method, raw, POLL_SETTING_KEYS[method], false)
  const s = readPollSettings(method, raw) as Record<string, number | boolean | null>
  const issues: Array<{ path: string; message: string }> = []
  const issue = (key: string, message: string) => issues.push({ path: `settings.${key}`, message })
  const int = (key: string) => s[key] as number | null

  switch (method) {
    case 'schulze':
    case 'repeated_schulze': {
      const stars = int('stars') as number
      if (stars < 3 || stars > 20) issue('stars', `must be between 3 and 20, got ${stars}`)
      const w = int('winners')
      if (method === 'repeated_schulze' && w !== null && w < 2) {
        issue('winners', `must be at least 2 or null (sort all), got ${w}`)
      }
      break
    }
    case 'scottish_stv':
    case 'cpo_stv': {
      // 10 #22: VoteIT intends ≥ 2 for scottish_stv, but 1 is accepted for old data.
      const w = int('winners') as number
      if (w < 1) issue('winners', `must be at least 1, got ${w}`)
      break
    }
    case 'repeated_irv': {
      const w = int('winners') as number
      if (w < 2) issue('winners', `must be at least 2, got ${w}`)
      const min = int('min')
      const max = int('max')
      if (min !== null && min < 1) issue('min', `must be a positive integer or null, got ${min}`)
      if (max !== null && max < 1) issue('max', `must be a positive integer or null, got ${max}`)
      if (min !== null && max !== null && min >= 1 && max >= 1 && min > max) {
        issue('max', `must not be less than min (${min}), got ${max}`)
      }
      break
    }
    case 'dutt': {
      const min = int('min') as number
      const max = int('max') as number
      if (min < 0) issue('min', `must not be negative, got ${min}`)
      if (max < 0) issue('max', `must not be negative, got ${max}`)
      if (max > 0 && max < min) issue('max', `must not be less than min (${min}), got ${max}`)
      break
    }
    default:
      break
  }
  if (issues.length) throw new CountInputError('invalid_settings', issues)
  return s as PollSettingsByMethod[M]
}

/** Strips the library options from counting settings (for `--strict`). */
export function pollSettingsOf(method: MethodId, settings: unknown): unknown {
  if (!isPlainObject(settings)) return settings
  const lib = libraryKeys(method)
  return Object.fromEntries(Object.entries(settings).filter(([k]) => !lib.includes(k)))
}
