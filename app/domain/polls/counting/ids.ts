/** Candidate id helpers (sections 3.2, 9.2). */
import type { CandidateId } from './types.js'

/** Integers numerically, strings by Unicode code point (3.2). Documents never mix the two. */
export function compareIds(a: CandidateId, b: CandidateId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return compareCodePoints(String(a), String(b))
}

export function compareCodePoints(a: string, b: string): number {
  // JS string comparison is by UTF-16 code unit, which misorders characters above U+FFFF
  // against U+E000–U+FFFF; compare code points instead.
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i) as number
    const cb = b.codePointAt(i) as number
    if (ca !== cb) return ca - cb
    if (ca > 0xffff) i++
  }
  return a.length - b.length
}

export function sortIds<T extends CandidateId>(ids: readonly T[]): T[] {
  return ids.slice().sort(compareIds)
}

/** Map key for an id; uniqueness is checked on the string form (9.2). */
export function idKey(id: CandidateId): string {
  return String(id)
}

export function isCandidateId(value: unknown): value is CandidateId {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'string'
}
