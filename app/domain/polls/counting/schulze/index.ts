/**
 * Schulze family (section 6): `schulze` and `repeated_schulze`, reproducing python-vote-core's
 * SchulzeMethod with ratings (more stars = more preferred), the Schwartz-set heuristic and the
 * tie-break by the permutation P (section 8).
 */
import type { MergedBallot } from '../ballot_data.js'
import { SeededRandom, generateSeed } from '../random.js'
import type {
  CandidateId,
  MethodOutcome,
  RepeatedSchulzeResult,
  SchulzeAction,
  SchulzeBallot,
  SchulzePair,
  SchulzeResult,
  SchulzeRound,
  ValidDocument,
} from '../types.js'

/**
 * The tie-break permutation P, drawn lazily: a count without a tie draws nothing and reports no
 * generated seed (9.4). The draw is the first of the stream either way, so laziness changes nothing.
 */
class TieBreaker {
  #order: CandidateId[] | null
  #seed: string | null
  #drawn = false

  constructor(
    private readonly base: CandidateId[],
    explicitOrder: CandidateId[] | null,
    seed: string | null
  ) {
    this.#order = explicitOrder
    this.#seed = seed
  }

  get seed(): string | null {
    return this.#seed
  }

  get order(): CandidateId[] {
    if (this.#order === null) {
      if (this.#seed === null) this.#seed = generateSeed()
      this.#order = new SeededRandom(this.#seed).shuffle(this.base)
      this.#drawn = true
    }
    return this.#order
  }

  get drawn(): boolean {
    return this.#drawn
  }

  /** The first candidate of P among `tied` (6.4). */
  first(tied: readonly CandidateId[]): CandidateId {
    const set = new Set(tied)
    const hit = this.order.find((c) => set.has(c))
    if (hit === undefined) throw new Error('tie-break permutation misses a tied candidate')
    return hit
  }
}

/**
 * Ballots as rating vectors over the universe U = [0 if deny] + input candidates (output order),
 * stored row by row in one flat array (one allocation for all ballots); NaN = not rated.
 */
interface RatingBallots {
  ratings: Float64Array
  counts: number[]
}

function toRatingBallots(
  universe: readonly CandidateId[],
  ballots: ReadonlyArray<MergedBallot<SchulzeBallot>>
): RatingBallots {
  const n = universe.length
  const index = new Map<CandidateId, number>(universe.map((c, i) => [c, i]))
  const ratings = new Float64Array(ballots.length * n).fill(Number.NaN)
  const counts = new Array<number>(ballots.length)
  ballots.forEach((b, row) => {
    for (const [id, stars] of b.ballot.ranking) ratings[row * n + index.get(id)!] = stars
    counts[row] = b.count
  })
  return { ratings, counts }
}

/**
 * One Schulze round (6.1–6.4) over the universe indices still `active`.
 * Returns the round and the winner's universe index (-1 when there is no candidate).
 */
function schulzeRound(
  universe: readonly CandidateId[],
  ballots: RatingBallots,
  active: readonly boolean[],
  tieBreaker: TieBreaker
): { round: SchulzeRound; winnerIndex: number } {
  const n = universe.length
  // 6.1: candidates are the ids rated on at least one ballot of this round, in universe order.
  const { ratings, counts } = ballots
  const inC = new Array<boolean>(n).fill(false)
  for (let row = 0; row < counts.length; row++) {
    const base = row * n
    for (let i = 0; i < n; i++) if (active[i] && !Number.isNaN(ratings[base + i]!)) inC[i] = true
  }
  const cIdx: number[] = []
  for (let i = 0; i < n; i++) if (inC[i]) cIdx.push(i)
  const m = cIdx.length
  const ids = cIdx.map((i) => universe[i]!)

  const round: SchulzeRound = {
    candidates: ids,
    winner: null,
    tied_winners: null,
    pairs: [],
    strong_pairs: [],
    actions: [],
    randomized: false,
  }
  if (m === 0) return { round, winnerIndex: -1 }

  // 6.2: d[a*m+b] = summed count of ballots rating a above b, unrated filled in below the lowest.
  const d = new Float64Array(m * m)
  const r = new Float64Array(m)
  for (const [row, weight] of counts.entries()) {
    if (weight === 0) continue
    const base = row * n
    let min = Number.POSITIVE_INFINITY
    for (let k = 0; k < m; k++) {
      const v = ratings[base + cIdx[k]!]!
      r[k] = v
      if (!Number.isNaN(v) && v < min) min = v
    }
    if (min === Number.POSITIVE_INFINITY) continue // rates nothing left: contributes nothing
    for (let k = 0; k < m; k++) if (Number.isNaN(r[k]!)) r[k] = min - 1
    for (let a = 0; a < m; a++) {
      const ra = r[a]!
      for (let c = a + 1; c < m; c++) {
        const rc = r[c]!
        if (ra > rc) d[a * m + c]! += weight
        else if (rc > ra) d[c * m + a]! += weight
      }
    }
  }

  const pairs: SchulzePair[] = []
  const strong: Array<{ a: number; b: number; w: number }> = []
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      if (a === b) continue
      pairs.push([[ids[a]!, ids[b]!], d[a * m + b]!])
      if (d[a * m + b]! > d[b * m + a]!) strong.push({ a, b, w: d[a * m + b]! })
    }
  }
  // Weight descending, equal weights in pair order (a stable sort of pair order).
  strong.sort((x, y) => y.w - x.w)
  round.pairs = pairs
  round.strong_pairs = strong.map((e) => [[ids[e.a]!, ids[e.b]!], e.w])

  // 6.3: unbeaten = no incoming strong edge.
  const beaten = new Array<boolean>(m).fill(false)
  for (const e of strong) beaten[e.b] = true
  let unbeaten: number[] = []
  for (let k = 0; k < m; k++) if (!beaten[k]) unbeaten.push(k)
  if (unbeaten.length === 0) {
    const { remaining, actions } = schwartzHeuristic(m, strong, ids)
    round.actions = actions
    unbeaten = remaining
  }

  let winner: number
  if (unbeaten.length === 1) {
    winner = unbeaten[0]!
  } else {
    round.tied_winners = unbeaten.map((k) => ids[k]!)
    const chosen = tieBreaker.first(round.tied_winners)
    winner = ids.indexOf(chosen)
    round.randomized = true
  }
  round.winner = ids[winner]!
  return { round, winnerIndex: cIdx[winner]! }
}

/**
 * Schwartz-set heuristic (6.3) on a copy of the strong-pair graph over local indices 0..m-1.
 * Returns the remaining (unbeaten) nodes and the actions taken.
 */
function schwartzHeuristic(
  m: number,
  strong: ReadonlyArray<{ a: number; b: number; w: number }>,
  ids: readonly CandidateId[]
): { remaining: number[]; actions: SchulzeAction[] } {
  const alive = new Array<boolean>(m).fill(true)
  let edges = strong.map((e) => ({ ...e }))
  const actions: SchulzeAction[] = []
  const pairOrder = (x: { a: number; b: number }, y: { a: number; b: number }) =>
    x.a - y.a || x.b - y.b

  while (edges.length > 0) {
    const out: number[][] = Array.from({ length: m }, () => [])
    for (const e of edges) out[e.a]!.push(e.b)
    // reach[x] = nodes reachable from x, including x
    const reach: boolean[][] = []
    for (let x = 0; x < m; x++) {
      const seen = new Array<boolean>(m).fill(false)
      if (alive[x]) {
        const stack = [x]
        seen[x] = true
        while (stack.length) {
          const y = stack.pop()!
          for (const z of out[y]!) {
            if (!seen[z]) {
              seen[z] = true
              stack.push(z)
            }
          }
        }
      }
      reach.push(seen)
    }
    const removeNode = new Array<boolean>(m).fill(false)
    for (let x = 0; x < m; x++) {
      if (!alive[x]) continue
      for (let y = 0; y < m; y++)
        if (alive[y] && reach[x]![y] && !reach[y]![x]) removeNode[y] = true
    }
    const r: number[] = []
    for (let k = 0; k < m; k++) if (removeNode[k]) r.push(k)
    if (r.length > 0) {
      for (const k of r) alive[k] = false
      edges = edges.filter((e) => alive[e.a] && alive[e.b])
      actions.push({ nodes: r.map((k) => ids[k]!) })
    } else {
      const w = Math.min(...edges.map((e) => e.w))
      const removed = edges.filter((e) => e.w === w).sort(pairOrder)
      edges = edges.filter((e) => e.w !== w)
      actions.push({
        edges: removed.map((e): [CandidateId, CandidateId] => [ids[e.a]!, ids[e.b]!]),
      })
    }
  }
  const remaining: number[] = []
  for (let k = 0; k < m; k++) if (alive[k]) remaining.push(k)
  return { remaining, actions }
}

function universeOf(doc: ValidDocument<'schulze' | 'repeated_schulze'>): CandidateId[] {
  return doc.settings.deny_proposal ? [0, ...doc.candidates] : [...doc.candidates]
}

export function countSchulze(
  doc: ValidDocument<'schulze'>,
  merged: ReadonlyArray<MergedBallot<SchulzeBallot>>
): MethodOutcome<SchulzeResult> {
  const universe = universeOf(doc)
  const tieBreaker = new TieBreaker(universe, doc.settings.random_order, doc.seed)
  const ballots = toRatingBallots(universe, merged)
  const { round } = schulzeRound(
    universe,
    ballots,
    new Array<boolean>(universe.length).fill(true),
    tieBreaker
  )

  let approved: CandidateId[] = []
  let denied: CandidateId[] = []
  if (round.winner === 0 && doc.settings.deny_proposal) {
    denied = round.candidates.filter((c) => c !== 0)
  } else if (round.winner !== null) {
    approved = [round.winner]
    denied = round.candidates.filter(
      (c) => c !== round.winner && !(doc.settings.deny_proposal && c === 0)
    )
  }
  return {
    ...round,
    approved,
    denied,
    random_order: round.randomized ? tieBreaker.order : null,
    seed: tieBreaker.seed,
  }
}

export function countRepeatedSchulze(
  doc: ValidDocument<'repeated_schulze'>,
  merged: ReadonlyArray<MergedBallot<SchulzeBallot>>
): MethodOutcome<RepeatedSchulzeResult> {
  const { deny_proposal: deny, winners } = doc.settings
  const universe = universeOf(doc)
  const tieBreaker = new TieBreaker(universe, doc.settings.random_order, doc.seed)
  const ballots = toRatingBallots(universe, merged)
  const active = new Array<boolean>(universe.length).fill(true)

  const rounds: SchulzeRound[] = []
  const roundsToDo = winners ?? doc.candidates.length
  for (let i = 0; i < roundsToDo; i++) {
    const { round, winnerIndex } = schulzeRound(universe, ballots, active, tieBreaker)
    if (winnerIndex < 0) break // 10 #19: no ballot rates a remaining candidate
    rounds.push(round)
    active[winnerIndex] = false // removed from every ballot; the next round fills in afresh
    if (deny && round.winner === 0) break
  }

  const order = rounds.map((r) => r.winner!)
  const candidates = rounds[0]?.candidates ?? []
  let approved: CandidateId[] = []
  let denied: CandidateId[] = []
  if (winners !== null) {
    // 10 #9: approved in round order.
    approved = order.filter((c) => !(deny && c === 0))
    const won = new Set(approved)
    denied = candidates.filter((c) => !won.has(c) && !(deny && c === 0))
  }
  const randomized = rounds.some((r) => r.randomized)
  return {
    rounds,
    order,
    candidates,
    randomized,
    random_order: randomized ? tieBreaker.order : null,
    approved,
    denied,
    seed: tieBreaker.seed,
  }
}
