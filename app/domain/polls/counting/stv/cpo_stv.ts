/** `cpo_stv`, Comparison of Pairs of Outcomes (poll-methods spec, section 7.11; decisions 14–17). */
import { SCALE, newMultiplier } from '../decimal.js'
import {
  type BallotSet,
  type CountContext,
  type MethodResult,
  type RoundRecord,
  firstPreferenceSnapshot,
} from './core.js'

/** Number of possible outcomes, C(candidates, winners); the caller refuses more than 1,000 (decision 16). */
export function cpoOutcomeCount(candidates: number, winners: number): number {
  if (
    !Number.isInteger(candidates) ||
    !Number.isInteger(winners) ||
    winners < 0 ||
    winners > candidates
  ) {
    return 0
  }
  const k = Math.min(winners, candidates - winners)
  let r = 1n
  for (let i = 1; i <= k; i++) r = (r * BigInt(candidates - k + i)) / BigInt(i)
  return Number(r)
}

/** All `size`-subsets of `items`, as itertools.combinations enumerates them. */
export function combinations<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  const idx = Array.from({ length: size }, (_, i) => i)
  const n = items.length
  if (size > n) return out
  for (;;) {
    out.push(idx.map((i) => items[i] as T))
    let i = size - 1
    while (i >= 0 && idx[i] === i + n - size) i--
    if (i < 0) return out
    idx[i] = (idx[i] as number) + 1
    for (let j = i + 1; j < size; j++) idx[j] = (idx[j - 1] as number) + 1
  }
}

/** Runs the duels of one count (7.11), sharing scratch buffers. Exported for tests. */
export class DuelRunner {
  readonly #b: BallotSet
  readonly #quota: number
  readonly #quotaUnits: number
  readonly #inS: Uint8Array
  readonly #votes: Float64Array
  readonly #cur: Int32Array
  readonly #mult: Int32Array

  constructor(C: number, ballots: BallotSet, quota: number) {
    this.#b = ballots
    this.#quota = quota
    this.#quotaUnits = quota * SCALE
    this.#inS = new Uint8Array(C)
    this.#votes = new Float64Array(C)
    this.#cur = new Int32Array(ballots.size)
    this.#mult = new Int32Array(ballots.size)
  }

  /** T1 − T2 in units (7.11 duel). `o1`, `o2` are candidate indices. */
  duel(o1: readonly number[], o2: readonly number[]): number {
    const inO2 = new Set(o2)
    const common = o1.filter((c) => inO2.has(c))
    const votes = this.votes([...o1, ...o2.filter((c) => !common.includes(c))], common)
    let t1 = 0
    let t2 = 0
    for (const c of o1) t1 += votes[c] as number
    for (const c of o2) t2 += votes[c] as number
    return t1 - t2
  }

  /**
   * The duel's tallies (7.11), which depend only on S = O1 ∪ O2 and on the candidates common to both
   * outcomes. Returns a scratch buffer indexed by candidate, valid until the next call.
   */
  votes(union: readonly number[], commonCandidates: readonly number[]): Float64Array {
    const { prefs, start, end, count, size } = this.#b
    const inS = this.#inS
    const votes = this.#votes
    const cur = this.#cur
    const mult = this.#mult
    inS.fill(0)
    votes.fill(0)
    for (const c of union) inS[c] = 1
    // Fresh multipliers; cur[b] = position of first(b, S), −1 if none.
    for (let b = 0; b < size; b++) {
      mult[b] = SCALE
      let pos = -1
      for (let p = start[b] as number, e = end[b] as number; p < e; p++) {
        if (inS[prefs[p] as number]) {
          pos = p
          break
        }
      }
      cur[b] = pos
      if (pos >= 0) {
        const x = prefs[pos] as number
        votes[x] = (votes[x] as number) + SCALE * (count[b] as number)
      }
    }
    // Candidates in both outcomes, in input order (decision 14).
    const common = commonCandidates.slice().sort((a, b) => a - b)
    for (const c of common) {
      const v = votes[c] as number
      const transfer = v > this.#quotaUnits // strictly greater
      if (transfer) votes[c] = this.#quotaUnits
      inS[c] = 0 // S = S − {c}, whether or not a transfer happened
      const memo = new Map<number, number>()
      for (let b = 0; b < size; b++) {
        const pos = cur[b] as number
        if (pos < 0 || prefs[pos] !== c) continue
        // first(b, S − {c}); also the new first(b, S) after c leaves S.
        let next = -1
        for (let p = pos + 1, e = end[b] as number; p < e; p++) {
          if (inS[prefs[p] as number]) {
            next = p
            break
          }
        }
        cur[b] = next
        if (!transfer) continue
        const M = mult[b] as number
        let m2 = memo.get(M)
        if (m2 === undefined) {
          m2 = newMultiplier(M, v, this.#quota)
          memo.set(M, m2)
        }
        mult[b] = m2
        if (next >= 0) {
          const t = prefs[next] as number
          votes[t] = (votes[t] as number) + m2 * (count[b] as number)
        }
      }
    }
    return votes
  }
}

/** Index of the unique strongly connected component that no edge leaves (Tarjan). */
function smithSet(n: number, edge: (i: number, j: number) => boolean): number[] {
  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const comp = new Int32Array(n).fill(-1)
  const stack: number[] = []
  let counter = 0
  let comps = 0
  const strong = (v: number): void => {
    index[v] = low[v] = counter++
    stack.push(v)
    onStack[v] = 1
    for (let w = 0; w < n; w++) {
      if (w === v || !edge(v, w)) continue
      if (index[w] === -1) {
        strong(w)
        low[v] = Math.min(low[v] as number, low[w] as number)
      } else if (onStack[w]) {
        low[v] = Math.min(low[v] as number, index[w] as number)
      }
    }
    if (low[v] === index[v]) {
      for (;;) {
        const w = stack.pop() as number
        onStack[w] = 0
        comp[w] = comps
        if (w === v) break
      }
      comps++
    }
  }
  for (let v = 0; v < n; v++) if (index[v] === -1) strong(v)
  const leaves = new Uint8Array(comps)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      if (i !== j && comp[i] !== comp[j] && edge(i, j)) leaves[comp[i] as number] = 1
  }
  const sink = leaves.findIndex((l) => l === 0)
  const members: number[] = []
  for (let i = 0; i < n; i++) if (comp[i] === sink) members.push(i)
  return members
}

/**
 * margin[i·n + j] = T_i − T_j (units) of the duel between outcomes i and j, for all pairs (7.11).
 * Exported for tests.
 */
export function duelMargins(
  C: number,
  ballots: BallotSet,
  quota: number,
  outcomes: readonly (readonly number[])[]
): Float64Array {
  const n = outcomes.length
  const margin = new Float64Array(n * n)
  const runner = new DuelRunner(C, ballots, quota)
  // A duel's tallies depend only on (O1 ∪ O2, O1 ∩ O2): run each distinct pair of sets once and read
  // every duel that shares them from the same tallies.
  const member = outcomes.map((o) => {
    const m = new Uint8Array(C)
    for (const c of o) m[c] = 1
    return m
  })
  const groups = new Map<string, number[]>()
  for (let i = 0; i < n; i++) {
    const mi = member[i] as Uint8Array
    for (let j = i + 1; j < n; j++) {
      const mj = member[j] as Uint8Array
      let key = ''
      for (let c = 0; c < C; c++) {
        const k = (mi[c] as number) + (mj[c] as number)
        if (k > 0) key += (k === 2 ? '*' : '') + c + ','
      }
      let group = groups.get(key)
      if (!group) groups.set(key, (group = []))
      group.push(i, j)
    }
  }
  for (const group of groups.values()) {
    const i0 = group[0] as number
    const j0 = group[1] as number
    const mj0 = member[j0] as Uint8Array
    const o1 = outcomes[i0] as number[]
    const union = [
      ...o1,
      ...(outcomes[j0] as number[]).filter((c) => !(member[i0] as Uint8Array)[c]),
    ]
    const common = o1.filter((c) => mj0[c])
    const votes = runner.votes(union, common)
    for (let g = 0; g < group.length; g += 2) {
      const i = group[g] as number
      const j = group[g + 1] as number
      let t1 = 0
      let t2 = 0
      for (const c of outcomes[i] as number[]) t1 += votes[c] as number
      for (const c of outcomes[j] as number[]) t2 += votes[c] as number
      margin[i * n + j] = t1 - t2
      margin[j * n + i] = t2 - t1
    }
  }

  return margin
}

export function countCpoStv(
  ctx: CountContext,
  ballots: BallotSet,
  seats: number,
  quota: number,
  allowRandom: boolean
): MethodResult {
  const v0 = firstPreferenceSnapshot(ctx, ballots)
  // pedantic_order is ignored: members are ordered by V0 descending, equal tallies in K order.
  const byV0 = (group: readonly number[]): number[] =>
    group.slice().sort((a, b) => (v0[b] as number) - (v0[a] as number))
  const elect = (
    group: readonly number[],
    method: RoundRecord['method'],
    randomized: boolean
  ): MethodResult => {
    const winners = byV0(group)
    return {
      winners,
      randomized,
      rounds: [{ status: 'Elected', method, selected: winners, snap: v0 }],
    }
  }

  if (ctx.C === seats) return elect(ctx.K, 'Direct', false)

  const outcomes = combinations(ctx.K, seats)
  const n = outcomes.length
  const margin = duelMargins(ctx.C, ballots, quota, outcomes)

  // An outcome that beat every other outcome wins outright.
  for (let i = 0; i < n; i++) {
    let beatsAll = true
    for (let j = 0; j < n && beatsAll; j++)
      if (j !== i && !((margin[i * n + j] as number) > 0)) beatsAll = false
    if (beatsAll) return elect(outcomes[i] as number[], 'Comparison of Pairs of Outcomes', false)
  }

  // Smith set of the graph loser → winner (ties both ways), then minimax over it.
  const smith = smithSet(n, (i, j) => (margin[i * n + j] as number) <= 0)
  const worst = smith.map((i) => {
    let w = 0
    for (let j = 0; j < n; j++) if (j !== i) w = Math.max(w, -(margin[i * n + j] as number))
    return w
  })
  const best = Math.min(...worst)
  const minimax = smith.filter((_, k) => worst[k] === best)
  if (minimax.length === 1) {
    return elect(
      outcomes[minimax[0] as number] as number[],
      'Comparison of Pairs of Outcomes',
      false
    )
  }
  if (!allowRandom) return { winners: [], randomized: false, rounds: [] }
  // Decision 15: the outcome whose members' P positions, sorted ascending, are lexicographically smallest.
  const key = (i: number): number[] =>
    (outcomes[i] as number[]).map((c) => ctx.pPos[c] as number).sort((a, b) => a - b)
  let chosen = minimax[0] as number
  for (const i of minimax) {
    const a = key(i)
    const b = key(chosen)
    let cmp = 0
    for (let k = 0; k < a.length && cmp === 0; k++) cmp = (a[k] as number) - (b[k] as number)
    if (cmp < 0) chosen = i
  }
  return elect(outcomes[chosen] as number[], 'Comparison of Pairs of Outcomes', true)
}
