/** Shared helpers for the STV family specs. */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  countStv,
  type CandidateId,
  type StvInput,
  type StvMethodId,
  type StvOutput,
  type StvSettings,
} from '../../../../../../app/domain/polls/counting/stv/index.js'

export type Ballots = StvInput['ballots']

export const DEFAULT_SETTINGS: StvSettings = {
  winners: 1,
  allow_random: true,
  random_order: null,
  pedantic_order: false,
  quota_override: null,
  tiebreak_strategies: null,
}

export function run(
  method: StvMethodId,
  candidates: CandidateId[],
  ballotList: Ballots,
  settings: Partial<StvSettings> = {},
  seed: string | null = 'test-seed'
): StvOutput {
  return countStv({
    method,
    candidates,
    ballots: ballotList,
    settings: { ...DEFAULT_SETTINGS, ...settings },
    seed,
  })
}

/** Shorthand: ballots('A>C', 5, 'B>A>D', 4) with string ids; '' is an empty ranking. */
export function ballots(...spec: Array<string | number>): Ballots {
  const out: Ballots = []
  for (let i = 0; i < spec.length; i += 2) {
    const r = String(spec[i])
    out.push({ ranking: r === '' ? [] : r.split('>'), count: Number(spec[i + 1]) })
  }
  return out
}

/** Compact view of the rounds for whole-table assertions. */
export function table(
  result: StvOutput
): Array<[string, string, CandidateId[], Record<string, number>]> {
  return result.rounds.map((r) => [r.status, r.method, r.selected, r.vote_count])
}

const FIXTURES = fileURLToPath(new URL('../../../../../fixtures/polls/', import.meta.url))

export function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(FIXTURES + name, 'utf8'))
}

/** Counts a fixture document (settings defaulted like count() does for the STV family). */
export function runFixture(
  doc: Record<string, any>,
  seed: string | null = 'fixture-seed'
): StvOutput {
  const settings = { ...DEFAULT_SETTINGS, ...(doc.settings ?? {}) }
  if (doc.method === 'irv') settings.winners = 1
  return countStv({
    method: doc.method,
    candidates: doc.candidates,
    ballots: doc.ballots,
    settings,
    seed,
  })
}

/**
 * An independent implementation of the generator of spec 8.2 for the tests, written from the definition
 * with node:crypto (it shares no code with app/domain/polls/counting/random.ts).
 */
export function referenceStream(seed: string) {
  let block = Buffer.alloc(0)
  let offset = 0
  let counter = 0
  const nextU32 = (): number => {
    if (offset >= block.length) {
      const c = Buffer.alloc(4)
      c.writeUInt32BE(counter++)
      block = createHash('sha256')
        .update(Buffer.concat([Buffer.from(seed, 'utf8'), c]))
        .digest()
      offset = 0
    }
    const v = block.readUInt32BE(offset)
    offset += 4
    return v
  }
  const randInt = (k: number): number => {
    const limit = 2 ** 32 - (2 ** 32 % k)
    for (;;) {
      const u = nextU32()
      if (u < limit) return u % k
    }
  }
  const shuffle = <T>(list: readonly T[]): T[] => {
    const a = [...list]
    for (let i = a.length - 1; i >= 1; i--) {
      const j = randInt(i + 1)
      ;[a[i], a[j]] = [a[j] as T, a[i] as T]
    }
    return a
  }
  return { nextU32, randInt, shuffle }
}
