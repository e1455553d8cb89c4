/** `repeated_irv` (poll-methods spec, section 7.10; decisions 5 and 6). */
import {
  type BallotSet,
  type CountContext,
  type MethodResult,
  type RoundRecord,
  restrictBallots,
  firstPreferenceSnapshot,
} from './core.js'
import { countIrv } from './irv.js'

/**
 * @param original all non-empty original ballots
 */
export function countRepeatedIrv(
  ctx: CountContext,
  original: BallotSet,
  seats: number,
  quota: number
): MethodResult {
  const v0 = firstPreferenceSnapshot(ctx, original)
  const elected = new Uint8Array(ctx.C)
  const winners: number[] = []
  const rounds: RoundRecord[] = []
  let randomized = false
  for (let seat = 0; seat < seats; seat++) {
    // K (and P, through pPos) restricted to the candidates not yet elected.
    const standing = ctx.K.filter((c) => !elected[c])
    const keep = new Uint8Array(ctx.C)
    for (const c of standing) keep[c] = 1
    const ballots = restrictBallots(original, keep)
    // Decision 5: the quota Q of the original ballots is kept for every seat.
    const inner = countIrv(ctx, standing, ballots, quota)
    // Decision 6: a random draw inside an inner count makes the whole result randomized.
    if (inner.randomized) randomized = true
    const winner = inner.winners[0]
    if (winner === undefined) break
    elected[winner] = 1
    winners.push(winner)
    rounds.push({ status: 'Elected', method: 'Direct', selected: [winner], snap: v0 })
  }
  return { winners, randomized, rounds }
}
