/** `irv` (poll-methods spec, section 7.9). */
import { type BallotSet, type CountContext, type MethodResult, StvState } from './core.js'

/**
 * One IRV count over `standing` (K order). Also the inner count of repeated_irv, which passes the
 * standing candidates and reduced ballots of one seat.
 */
export function countIrv(
  ctx: CountContext,
  standing: readonly number[],
  ballots: BallotSet,
  quota: number
): MethodResult {
  const state = new StvState(ctx, standing, ballots, quota)
  for (;;) {
    const current = state.standingList()
    const winner = current.find((c) => (state.tally[c] as number) >= state.quotaUnits)
    if (winner !== undefined) {
      state.record('Elected', 'Direct', [winner])
      return { winners: [winner], randomized: state.randomized, rounds: state.rounds }
    }
    // No majority and nobody left to exclude: incomplete (7.9). Also covers zero candidates.
    if (current.length <= 1) break
    const pick = state.pick(current, false)
    if (!pick) break
    state.record('Excluded', pick.method, [pick.c])
    state.remove([pick.c])
    state.transfer([pick.c], false)
  }
  return { winners: [], randomized: state.randomized, rounds: state.rounds }
}
