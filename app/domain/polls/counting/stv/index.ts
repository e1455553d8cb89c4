/**
 * STV family entry point (poll-methods spec, sections 7, 8 and 9.4): scottish_stv, irv, repeated_irv,
 * cpo_stv. The input is already validated and defaulted by the caller (count()).
 */
import { SeededRandom, generateSeed } from '../random.js'
import { unitsToNumber } from '../decimal.js'
import {
  type CountContext,
  type MethodResult,
  assertSafeTotal,
  ballotsFromInput,
  droopQuota,
  irvQuota,
  strategiesFor,
} from './core.js'
import { countScottishStv } from './scottish_stv.js'
import { countIrv } from './irv.js'
import { countRepeatedIrv } from './repeated_irv.js'
import { countCpoStv, cpoOutcomeCount } from './cpo_stv.js'
import type { CandidateId, StvInput, StvOutput, StvRound } from './types.js'

export type {
  CandidateId,
  StvMethodId,
  StvInput,
  StvOutput,
  StvRound,
  StvSettings,
  TiebreakStrategyName,
} from './types.js'
export { cpoOutcomeCount }

export function countStv(input: StvInput): StvOutput {
  const { method, candidates, settings } = input
  const C = candidates.length
  const toIndex = indexer(candidates)
  // 8.2: every STV method draws K, so a seed is always used (and generated when the document has none).
  const seed = input.seed ?? generateSeed()
  const rng = new SeededRandom(seed)
  const kIds = rng.shuffle(candidates)
  const pIds = settings.random_order ? settings.random_order.slice() : rng.shuffle(candidates)
  const pPos = new Int32Array(C)
  pIds.forEach((id, pos) => (pPos[toIndex(id)] = pos))
  const ctx: CountContext = {
    C,
    K: kIds.map(toIndex),
    pPos,
    strategies: strategiesFor(settings.allow_random, settings.tiebreak_strategies),
  }

  // 7.1: empty rankings are not ballots; they only add to empty_ballot_count.
  const { ballots, empty: emptyBallotCount } = ballotsFromInput(input.ballots, toIndex)
  const n = ballots.total
  const seats = method === 'irv' ? 1 : settings.winners
  assertSafeTotal(n, seats)

  const formula = method === 'irv' || method === 'repeated_irv' ? irvQuota(n) : droopQuota(n, seats)
  const quota = settings.quota_override ?? formula

  let result: MethodResult
  switch (method) {
    case 'scottish_stv':
      result = countScottishStv(ctx, ballots, seats, quota, settings.pedantic_order)
      break
    case 'irv':
      result = countIrv(ctx, ctx.K, ballots, quota)
      break
    case 'repeated_irv':
      result = countRepeatedIrv(ctx, ballots, seats, quota)
      break
    case 'cpo_stv':
      result = countCpoStv(ctx, ballots, seats, quota, ctx.strategies.includes('random'))
      break
    default:
      throw new Error(`not an STV method: ${String(method)}`)
  }

  const winners = result.winners.map((c) => candidates[c] as CandidateId)
  const complete = winners.length === seats
  const elected = new Set(result.winners)
  const rounds: StvRound[] = result.rounds.map((r) => {
    const voteCount: Record<string, number> = {}
    // Over the candidates standing at that moment (snapshot ≥ 0), in K order.
    for (const c of ctx.K) {
      const v = r.snap[c] as number
      if (v >= 0) voteCount[String(candidates[c])] = unitsToNumber(v)
    }
    return {
      status: r.status,
      method: r.method,
      selected: r.selected.map((c) => candidates[c] as CandidateId),
      vote_count: voteCount,
    }
  })

  return {
    approved: winners.slice(),
    // Decisions 7 and 8: an incomplete count denies nothing; otherwise every other candidate, input order.
    denied: complete ? candidates.filter((_, i) => !elected.has(i)) : [],
    winners,
    complete,
    randomized: result.randomized,
    random_order: result.randomized ? pIds : null,
    quota,
    empty_ballot_count: emptyBallotCount,
    rounds,
    candidates: kIds,
    seed,
  }
}

/** id → input index; an array lookup for small non-negative integer ids (the app's case), else a Map. */
function indexer(candidates: readonly CandidateId[]): (id: unknown) => number {
  const fail = (id: unknown): never => {
    throw new Error(`unknown candidate ${String(id)}`)
  }
  const small = candidates.every(
    (id) => Number.isInteger(id) && (id as number) >= 0 && (id as number) < 1 << 20
  )
  if (small) {
    const max = (candidates as number[]).reduce((a, b) => Math.max(a, b), -1)
    const table = new Int32Array(max + 1).fill(-1)
    candidates.forEach((id, i) => (table[id as number] = i))
    return (id) => {
      const i = typeof id === 'number' ? table[id] : undefined
      return i === undefined || i < 0 ? fail(id) : i
    }
  }
  const map = new Map<unknown, number>()
  candidates.forEach((id, i) => map.set(id, i))
  return (id) => {
    const i = map.get(id)
    return i === undefined ? fail(id) : i
  }
}
