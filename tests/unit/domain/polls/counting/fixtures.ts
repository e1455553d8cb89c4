/** Shared helpers for the public poll fixtures (tests/fixtures/polls/README.md). */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const FIXTURES_DIR = fileURLToPath(new URL('../../../../fixtures/polls/', import.meta.url))

export interface Fixture {
  file: string
  path: string
  doc: Record<string, any>
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const path = FIXTURES_DIR + file
      return { file, path, doc: JSON.parse(readFileSync(path, 'utf8')) }
    })
}

const sortKey = (v: unknown) => JSON.stringify(v)

/**
 * Compares a count result with a fixture's `expected` per the README: every listed key must match,
 * lists in order, except `winners` as a set when `winners_order` is "unordered"; `winner_names`
 * against candidate_names; `last_round_vote_count` against the last round; `rounds` per listed key.
 * Returns the mismatches (empty when all match).
 */
export function compareExpected(doc: Record<string, any>, result: Record<string, any>): string[] {
  const expected = doc.expected as Record<string, any>
  const problems: string[] = []
  const same = (a: unknown, b: unknown) =>
    JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
  for (const [key, want] of Object.entries(expected)) {
    let got: unknown
    if (key === 'winners_order') continue
    if (key === 'winners' && expected.winners_order === 'unordered') {
      got = [...(result.winners ?? [])].map(sortKey).sort()
      if (!same(got, [...want].map(sortKey).sort()))
        problems.push(`winners: ${JSON.stringify(result.winners)}`)
      continue
    }
    if (key === 'winner_names') {
      const names = (result.winners ?? []).map((id: number) => doc.candidate_names[id - 1])
      if (!same([...names].sort(), [...want].sort()))
        problems.push(`winner_names: ${JSON.stringify(names)}`)
      continue
    }
    if (key === 'last_round_vote_count') {
      got = result.rounds?.at(-1)?.vote_count
    } else if (key === 'rounds') {
      got = (result.rounds ?? []).map((round: Record<string, unknown>, i: number) =>
        Object.fromEntries(Object.keys(want[i] ?? {}).map((k) => [k, round[k]]))
      )
    } else {
      got = result[key]
    }
    if (!same(got, want))
      problems.push(`${key}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`)
  }
  return problems
}

/** Object key order carries no meaning (9.4); list order does. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])])
    )
  }
  return value
}
