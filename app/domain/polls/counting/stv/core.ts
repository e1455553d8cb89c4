/**
 * Shared STV core (poll-methods spec, sections 7.1–7.7).
 *
 * Candidates are handled by their index in input order. Ballots are distinct rankings with a count; all
 * values are integers in units of 10⁻⁵ (decimal.ts). Work is per distinct ranking, never per voter.
 */
import { SCALE, newMultiplier } from '../decimal.js'
import type { RoundMethod, RoundStatus, TiebreakStrategyName } from './types.js'

/** Non-empty rankings (candidate indices) with their counts, stored flat. */
export interface BallotSet {
  prefs: Int32Array
  start: Int32Array
  end: Int32Array
  count: Float64Array
  size: number
  /** n of 7.1: the summed count of the non-empty ballots. */
  total: number
}

/**
 * Builds a BallotSet from the input ballots, mapping ids to indices with `toIndex`. Empty rankings are
 * not ballots (7.1): their counts are summed into `empty`. Ballots with count 0 carry no value and are
 * left out.
 */
export function ballotsFromInput(
  input: ReadonlyArray<{ readonly ranking: readonly unknown[]; readonly count: number }>,
  toIndex: (id: unknown) => number
): { ballots: BallotSet; empty: number } {
  let size = 0
  let length = 0
  let empty = 0
  for (const ballot of input) {
    if (ballot.ranking.length === 0) empty += ballot.count
    else if (ballot.count !== 0) {
      size++
      length += ballot.ranking.length
    }
  }
  const prefs = new Int32Array(length)
  const start = new Int32Array(size)
  const end = new Int32Array(size)
  const count = new Float64Array(size)
  let b = 0
  let p = 0
  let total = 0
  for (const ballot of input) {
    const r = ballot.ranking
    if (r.length === 0 || ballot.count === 0) continue
    start[b] = p
    for (let i = 0; i < r.length; i++) prefs[p++] = toIndex(r[i])
    end[b] = p
    count[b] = ballot.count
    total += ballot.count
    b++
  }
  return { ballots: { prefs, start, end, count, size, total }, empty }
}

/**
 * Every ranking reduced to the kept candidates, in its own order (repeated_irv, 7.10). Rankings left
 * empty become empty ballots and are left out (they carry no value).
 */
export function restrictBallots(src: BallotSet, keep: Uint8Array): BallotSet {
  let size = 0
  let length = 0
  for (let b = 0; b < src.size; b++) {
    let l = 0
    for (let p = src.start[b] as number, e = src.end[b] as number; p < e; p++)
      if (keep[src.prefs[p] as number]) l++
    if (l > 0) {
      size++
      length += l
    }
  }
  const prefs = new Int32Array(length)
  const start = new Int32Array(size)
  const end = new Int32Array(size)
  const count = new Float64Array(size)
  let nb = 0
  let q = 0
  let total = 0
  for (let b = 0; b < src.size; b++) {
    const s = q
    for (let p = src.start[b] as number, e = src.end[b] as number; p < e; p++) {
      const x = src.prefs[p] as number
      if (keep[x]) prefs[q++] = x
    }
    if (q === s) continue
    start[nb] = s
    end[nb] = q
    count[nb] = src.count[b] as number
    total += src.count[b] as number
    nb++
  }
  return { prefs, start, end, count, size, total }
}

/** Values must stay exact in binary64: refuse counts whose tallies could leave the safe-integer range. */
export function assertSafeTotal(total: number, seats: number): void {
  // The 7.7 quirk can count a ballot's value once more per candidate elected together, hence the factor.
  if (total * SCALE * (seats + 1) > Number.MAX_SAFE_INTEGER) {
    throw new RangeError('ballot counts too large for exact STV counting')
  }
}

/** Fixed inputs of one count: K, P and the tie-break strategies (7.3, 7.5). */
export interface CountContext {
  /** Number of candidates (indices 0 … C − 1, input order). */
  C: number
  /** K as candidate indices. */
  K: readonly number[]
  /** Position of each candidate index in P. */
  pPos: Int32Array
  strategies: readonly TiebreakStrategyName[]
}

export interface RoundRecord {
  status: RoundStatus
  method: RoundMethod
  selected: number[]
  /** Tally snapshot in units, indexed by candidate; −1 for candidates not standing then. */
  snap: Float64Array
}

export interface Pick {
  c: number
  method: RoundMethod
}

/** Thrown internally when a tie cannot be broken (7.5 step 3): the count stops, incomplete. */
export class UnbreakableTie extends Error {
  constructor() {
    super('unbreakable tie')
  }
}

/**
 * The state of one STV count (7.4): standing candidates, tallies, ballot multipliers and round records.
 * Each ballot sits in the bucket of its first preference among the candidates standing before the
 * current selection, so a transfer only visits the ballots of the candidates being transferred.
 */
export class StvState {
  readonly ctx: CountContext
  readonly quota: number
  readonly quotaUnits: number
  readonly standing: Uint8Array
  /** Current tally in units (only meaningful for standing candidates). */
  readonly tally: Float64Array
  readonly rounds: RoundRecord[] = []
  randomized = false

  private readonly _ballots: BallotSet
  private readonly _mult: Int32Array
  private readonly _ptr: Int32Array
  private _buckets: number[][]
  private readonly _avail: Uint8Array
  private readonly _moved: Float64Array

  constructor(ctx: CountContext, standing: readonly number[], ballots: BallotSet, quota: number) {
    this.ctx = ctx
    this.quota = quota
    this.quotaUnits = quota * SCALE
    this.standing = new Uint8Array(ctx.C)
    for (const c of standing) this.standing[c] = 1
    this.tally = new Float64Array(ctx.C)
    this._ballots = ballots
    this._mult = new Int32Array(ballots.size).fill(SCALE)
    this._ptr = Int32Array.from(ballots.start)
    this._buckets = Array.from({ length: ctx.C }, () => [])
    this._avail = new Uint8Array(ctx.C)
    this._moved = new Float64Array(ctx.C)
    // Initial tally: every ballot's value goes to its first preference (7.4).
    const { prefs, start, count } = ballots
    for (let b = 0; b < ballots.size; b++) {
      const first = prefs[start[b] as number] as number
      if (!this.standing[first]) throw new Error('ballot ranks a candidate that is not standing')
      this.tally[first] = (this.tally[first] as number) + SCALE * (count[b] as number)
      ;(this._buckets[first] as number[]).push(b)
    }
  }

  /** Standing candidates in K order. */
  standingList(): number[] {
    const out: number[] = []
    for (const c of this.ctx.K) if (this.standing[c]) out.push(c)
    return out
  }

  /** Appends a round record with a snapshot of the current tally over the standing candidates. */
  record(status: RoundStatus, method: RoundMethod, selected: number[]): void {
    const snap = new Float64Array(this.ctx.C).fill(-1)
    for (let c = 0; c < this.ctx.C; c++) if (this.standing[c]) snap[c] = this.tally[c] as number
    this.rounds.push({ status, method, selected, snap })
  }

  /** Removes candidates from the standing set (after their round is recorded). */
  remove(cands: readonly number[]): void {
    for (const c of cands) this.standing[c] = 0
  }

  /** pick(sample, highest) of 7.5; null when the tie cannot be broken. */
  pick(
    sample: readonly number[],
    highest: boolean,
    values: Float64Array = this.tally
  ): Pick | null {
    let x = values[sample[0] as number] as number
    for (const c of sample) {
      const v = values[c] as number
      if (highest ? v > x : v < x) x = v
    }
    let tied = sample.filter((c) => values[c] === x)
    if (tied.length === 1) return { c: tied[0] as number, method: 'Direct' }
    for (const strategy of this.ctx.strategies) {
      if (strategy === 'history') {
        // Newest snapshot first; the tied set only shrinks (7.5.1).
        for (let r = this.rounds.length - 1; r >= 0; r--) {
          const snap = (this.rounds[r] as RoundRecord).snap
          let best = snap[tied[0] as number] as number
          for (const c of tied) {
            const v = snap[c] as number
            if (highest ? v > best : v < best) best = v
          }
          tied = tied.filter((c) => snap[c] === best)
          if (tied.length === 1) return { c: tied[0] as number, method: 'Tiebreak (history)' }
        }
      } else {
        // Highest: first in P; lowest: last in P (7.3).
        this.randomized = true
        const pPos = this.ctx.pPos
        let chosen = tied[0] as number
        for (const c of tied) {
          if (highest ? pPos[c]! < pPos[chosen]! : pPos[c]! > pPos[chosen]!) chosen = c
        }
        return { c: chosen, method: 'Tiebreak (Random)' }
      }
    }
    return null
  }

  /**
   * Orders candidates elected together (7.6). `group` is in K order. Default: stable sort by tally
   * descending. pedantic: repeated pick(highest); null when a tie cannot be broken.
   */
  electOrder(group: readonly number[], pedantic: boolean): number[] | null {
    if (!pedantic) {
      const tally = this.tally
      return group.slice().sort((a, b) => (tally[b] as number) - (tally[a] as number))
    }
    const remaining = group.slice()
    const order: number[] = []
    while (remaining.length > 0) {
      const p = this.pick(remaining, true)
      if (!p) return null
      order.push(p.c)
      remaining.splice(remaining.indexOf(p.c), 1)
    }
    return order
  }

  /**
   * Serial transfer of 7.7, quirk included: `queue` (already removed from standing) in election order,
   * or the one excluded candidate. A ballot is c's when c is its first preference among S ∪ {c}, where S
   * excludes the candidates still waiting in the queue; its value then goes to its first preference among
   * S ∪ (the rest of the queue).
   */
  transfer(queue: readonly number[], elected: boolean): void {
    if (queue.length === 1) {
      this.transferOne(queue[0] as number, elected)
      return
    }
    const { prefs, end, count } = this._ballots
    const standing = this.standing
    const avail = this._avail
    const moved = this._moved
    const tally = this.tally
    const mult = this._mult
    const ptr = this._ptr
    const C = this.ctx.C

    // Ballots that may be the queue's: exactly those in the buckets of the queued candidates.
    let list: number[]
    if (queue.length === 1) {
      list = this._buckets[queue[0] as number] as number[]
    } else {
      list = []
      for (const q of queue) for (const b of this._buckets[q] as number[]) list.push(b)
    }

    for (let c = 0; c < C; c++) avail[c] = standing[c] as number
    for (const q of queue) avail[q] = 1

    for (const c of queue) {
      avail[c] = 0 // popped: no longer a possible target
      moved.fill(0)
      const V = tally[c] as number
      const memo = new Map<number, number>()
      for (const b of list) {
        const e = end[b] as number
        const p0 = ptr[b] as number
        // first(b, S ∪ {c}) === c ?
        let hit = false
        for (let p = p0; p < e; p++) {
          const x = prefs[p] as number
          if (x === c) {
            hit = true
            break
          }
          if (standing[x]) break
        }
        if (!hit) continue
        let M = mult[b] as number
        if (elected) {
          let m2 = memo.get(M)
          if (m2 === undefined) {
            m2 = newMultiplier(M, V, this.quota)
            memo.set(M, m2)
          }
          M = m2
          mult[b] = M
        }
        // t = first(b, S ∪ rest of queue); none: exhausted, the value is lost.
        for (let p = p0; p < e; p++) {
          const x = prefs[p] as number
          if (avail[x]) {
            moved[x] = (moved[x] as number) + M * (count[b] as number)
            break
          }
        }
      }
      for (let x = 0; x < C; x++) {
        const m = moved[x] as number
        if (m !== 0) tally[x] = (tally[x] as number) + m
      }
    }

    // Re-bucket the visited ballots by their first standing preference.
    const buckets = this._buckets
    for (const q of queue) {
      buckets[q] = []
      tally[q] = 0
    }
    for (const b of list) {
      const e = end[b] as number
      for (let p = ptr[b] as number; p < e; p++) {
        const x = prefs[p] as number
        if (standing[x]) {
          ptr[b] = p
          ;(buckets[x] as number[]).push(b)
          break
        }
      }
    }
  }

  /**
   * transfer() for a queue of one (every exclusion, and elections of a single candidate). The ballots in
   * c's bucket are exactly those whose first preference among S ∪ {c} is c, and each one's target is its
   * first standing preference after c, which is also its new bucket: one pass does it all.
   */
  private transferOne(c: number, elected: boolean): void {
    const { prefs, end, count } = this._ballots
    const standing = this.standing
    const tally = this.tally
    const mult = this._mult
    const ptr = this._ptr
    const buckets = this._buckets
    const moved = this._moved
    const list = buckets[c] as number[]
    buckets[c] = []
    moved.fill(0)
    const V = tally[c] as number
    const memo = new Map<number, number>()
    let lastM = -1
    let lastM2 = -1
    for (const b of list) {
      let M = mult[b] as number
      if (elected) {
        if (M !== lastM) {
          let m2 = memo.get(M)
          if (m2 === undefined) {
            m2 = newMultiplier(M, V, this.quota)
            memo.set(M, m2)
          }
          lastM = M
          lastM2 = m2
        }
        M = lastM2
        mult[b] = M
      }
      const e = end[b] as number
      for (let p = (ptr[b] as number) + 1; p < e; p++) {
        const x = prefs[p] as number
        if (standing[x]) {
          moved[x] = (moved[x] as number) + M * (count[b] as number)
          ptr[b] = p
          ;(buckets[x] as number[]).push(b)
          break
        }
      }
      // No standing preference left: the ballot is exhausted and leaves every bucket.
    }
    for (let x = 0; x < this.ctx.C; x++) {
      const m = moved[x] as number
      if (m !== 0) tally[x] = (tally[x] as number) + m
    }
    tally[c] = 0
  }
}

/** The default tie-break strategies (7.5): history, then random if allowed; an explicit list replaces it. */
export function strategiesFor(
  allowRandom: boolean,
  explicit: readonly TiebreakStrategyName[] | null
): TiebreakStrategyName[] {
  if (explicit) return explicit.slice()
  return allowRandom ? ['history', 'random'] : ['history']
}

/** Droop quota (7.1), used by scottish_stv and cpo_stv. */
export function droopQuota(n: number, seats: number): number {
  return Math.floor(n / (seats + 1)) + 1
}

/** IRV quota (7.1, decision 4): a strict majority of the non-empty ballots. */
export function irvQuota(n: number): number {
  return Math.floor(n / 2) + 1
}

/** What a method hands back to countStv (candidate indices; tallies in units). */
export interface MethodResult {
  winners: number[]
  randomized: boolean
  rounds: RoundRecord[]
}

/** V0: the first-preference tally of every candidate (7.4), as a snapshot over all candidates. */
export function firstPreferenceSnapshot(ctx: CountContext, ballots: BallotSet): Float64Array {
  const snap = new Float64Array(ctx.C)
  for (let b = 0; b < ballots.size; b++) {
    const first = ballots.prefs[ballots.start[b] as number] as number
    snap[first] = (snap[first] as number) + SCALE * (ballots.count[b] as number)
  }
  return snap
}
