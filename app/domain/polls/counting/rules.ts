/**
 * Poll rules (sections 1, 2 and 3.1): what the app checks when a poll is started and a vote is
 * cast, and what the CLI checks with `--strict`. `count` never applies them (10 #23).
 */
import { CountInputError } from './errors.js'
import { BallotReader, validateBallot } from './validation.js'
import type { CandidateId, MethodId, PollSettingsByMethod, Settings } from './types.js'

function plural(n: number): string {
  return `${n} proposal${n === 1 ? '' : 's'}`
}

/**
 * Start check (section 1, "proposals needed to start"). Returns human-readable problems; empty
 * when the poll may start. `settings` are normalized poll settings.
 */
export function startCheck(method: MethodId, settings: Settings, proposalCount: number): string[] {
  const n = proposalCount
  const problems: string[] = []
  const atLeast = (k: number) => {
    if (n < k) problems.push(`This method needs at least ${plural(k)}, the poll has ${n}`)
  }
  switch (method) {
    case 'simple':
      if (n !== 1) problems.push(`This method needs exactly 1 proposal, the poll has ${n}`)
      break
    case 'combined_simple':
      atLeast(1)
      break
    case 'majority':
      // 10 #2: exactly 2 at start; the count itself tolerates more.
      if (n !== 2) problems.push(`This method needs exactly 2 proposals, the poll has ${n}`)
      break
    case 'dutt': {
      const s = settings as PollSettingsByMethod['dutt']
      atLeast(Math.max(2, s.min))
      break
    }
    case 'schulze':
    case 'repeated_schulze': {
      const s = settings as PollSettingsByMethod['repeated_schulze']
      atLeast(s.deny_proposal ? 2 : 3)
      if (method === 'repeated_schulze' && s.winners !== null && s.winners !== undefined) {
        const need = s.deny_proposal ? s.winners : s.winners + 1
        if (n < need)
          problems.push(`${s.winners} winners need at least ${plural(need)}, the poll has ${n}`)
      }
      break
    }
    case 'scottish_stv':
    case 'cpo_stv': {
      const s = settings as PollSettingsByMethod['scottish_stv']
      if (n <= s.winners) problems.push("can't have as many winners as proposals")
      break
    }
    case 'irv':
      atLeast(3)
      break
    case 'repeated_irv': {
      const s = settings as PollSettingsByMethod['repeated_irv']
      atLeast(Math.max(3, s.min ?? 0))
      break
    }
  }
  return problems
}

/**
 * Vote validation at vote time (3.1). Returns problems; empty when the vote is valid.
 * `candidates` are the poll's proposals; `payload` is the vote without `count`.
 */
export function validateVote(
  method: MethodId,
  settings: Settings,
  candidates: CandidateId[],
  payload: unknown
): string[] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return ['The vote must be an object']
  }
  if ('count' in payload) return ['Unexpected key "count" in the vote']
  const deny =
    (method === 'schulze' || method === 'repeated_schulze') &&
    (settings as PollSettingsByMethod['schulze']).deny_proposal
  let ballot: Record<string, unknown>
  try {
    ballot = validateBallot(
      method,
      { ...payload, count: 1 },
      0,
      new BallotReader(candidates, deny)
    ) as never
  } catch (error) {
    if (error instanceof CountInputError) {
      return error.issues.map(
        (i) => `${i.path.replace(/^ballots\[0\]\.?/, '') || 'vote'}: ${i.message}`
      )
    }
    throw error
  }

  switch (method) {
    case 'dutt': {
      const s = settings as PollSettingsByMethod['dutt']
      const k = (ballot.choices as unknown[]).length
      if (s.min > 0 && k < s.min) return ['Too few proposals picked']
      if (s.max > 0 && k > s.max) return ['Too many proposals picked']
      return []
    }
    case 'scottish_stv':
    case 'irv':
    case 'repeated_irv':
    case 'cpo_stv': {
      const k = (ballot.ranking as unknown[]).length
      if (k === 0) return ['Select at least one proposal']
      if (method === 'repeated_irv') {
        const s = settings as PollSettingsByMethod['repeated_irv']
        if (s.min !== null && k < s.min) return ['Too few selected']
        if (s.max !== null && k > s.max) return ['Too many selected']
      }
      return []
    }
    default:
      return []
  }
}
