/** `scottish_stv` (poll-methods spec, section 7.8). */
import { type BallotSet, type CountContext, type MethodResult, StvState } from './core.js'

export function countScottishStv(
  ctx: CountContext,
  ballots: BallotSet,
  seats: number,
  quota: number,
  pedanticOrder: boolean
): MethodResult {
  const state = new StvState(ctx, ctx.K, ballots, quota)
  const winners: number[] = []
  // Every `break` below on a null pick/order is 7.5 step 3: the count stops, incomplete.
  while (seats - winners.length > 0) {
    const remaining = seats - winners.length
    const standing = state.standingList()
    // The quota check comes before the "no competition" check (7.8).
    const reached = standing.filter((c) => (state.tally[c] as number) >= state.quotaUnits)
    if (reached.length > 0) {
      const order = state.electOrder(reached, pedanticOrder)
      if (!order) break // decision 24: stop before this round
      // Decision 11: only possible with quota_override; elect the first seats-remaining of them.
      const elected = order.slice(0, remaining)
      state.record('Elected', 'Direct', elected)
      state.remove(elected)
      winners.push(...elected)
      // The reference transfers surpluses even after the last seat is filled (7.8), but that only moves
      // exhausted value, which is never reported: skip it when no seat is left.
      if (winners.length < seats) state.transfer(elected, true)
    } else if (standing.length === remaining) {
      const order = state.electOrder(standing, pedanticOrder)
      if (!order) break
      state.record('Elected', 'No competition left', order)
      state.remove(order)
      winners.push(...order)
    } else {
      const pick = state.pick(standing, false)
      if (!pick) break
      state.record('Excluded', pick.method, [pick.c])
      state.remove([pick.c])
      state.transfer([pick.c], false)
    }
  }
  return { winners, randomized: state.randomized, rounds: state.rounds }
}
