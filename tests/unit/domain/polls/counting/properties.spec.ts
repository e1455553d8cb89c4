import { test } from '@japa/runner'
import fc from 'fast-check'
import { count, type CountResult, type MethodId } from '#domain/polls/counting/index'

type Ballot = Record<string, unknown> & { count: number }

const CANDIDATES = [1, 2, 3, 4, 5]

const subset = fc.subarray(CANDIDATES)
const permutation = fc.shuffledSubarray(CANDIDATES)

/** Ballot generators per method (payload + count). */
const ballotArb: Record<MethodId, fc.Arbitrary<Ballot>> = {
  simple: fc.record({ choice: fc.constantFrom('yes', 'no'), count: fc.nat(5) }),
  combined_simple: fc
    .tuple(fc.shuffledSubarray(CANDIDATES), fc.nat(5), fc.nat(5))
    .map(([ids, cut, weight]) => ({
      yes: ids.slice(0, cut % (ids.length + 1)),
      no: ids.slice(cut % (ids.length + 1)),
      count: weight,
    })),
  majority: fc.record({ choice: fc.constantFrom(1, 2), count: fc.nat(5) }),
  dutt: fc.record({ choices: subset, count: fc.nat(5) }),
  schulze: fc.record({
    ranking: fc.uniqueArray(fc.tuple(fc.constantFrom(...CANDIDATES), fc.nat(5)), {
      minLength: 1,
      selector: (pair) => pair[0],
    }),
    count: fc.nat(5),
  }),
  repeated_schulze: fc.constant({ count: 0 }), // filled below
  scottish_stv: fc.record({ ranking: permutation, count: fc.nat(5) }),
  irv: fc.record({ ranking: permutation, count: fc.nat(5) }),
  repeated_irv: fc.record({ ranking: permutation, count: fc.nat(5) }),
  cpo_stv: fc.record({ ranking: permutation, count: fc.nat(5) }),
}
ballotArb.repeated_schulze = ballotArb.schulze

const DOCS: Array<[MethodId, Record<string, unknown>, unknown[]]> = [
  ['simple', {}, [1]],
  ['combined_simple', {}, CANDIDATES],
  ['majority', {}, [1, 2]],
  ['dutt', {}, CANDIDATES],
  ['schulze', {}, CANDIDATES],
  ['repeated_schulze', { winners: 3 }, CANDIDATES],
  ['scottish_stv', { winners: 2 }, CANDIDATES],
  ['irv', {}, CANDIDATES],
  ['repeated_irv', { winners: 2 }, CANDIDATES],
  ['cpo_stv', { winners: 2 }, CANDIDATES],
]

/** The outcome without what legitimately depends on ballot order (ballot data, first-seen orders). */
function outcome(result: CountResult): Record<string, unknown> {
  const rest = { ...result } as Record<string, unknown>
  delete rest.ballot_data
  delete rest.ballot_checksum_sha512
  if (result.method === 'majority') {
    // equal votes keep ballot order (stable sort): compare as a multiset
    return {
      ...rest,
      results: [...result.results].sort(
        (a, b) => a.votes - b.votes || Number(a.proposal) - Number(b.proposal)
      ),
    }
  }
  if (result.method === 'dutt') return { ...rest, results: null }
  return rest
}

function expand(ballots: Ballot[]): Ballot[] {
  return ballots.flatMap((b) => Array.from({ length: b.count }, () => ({ ...b, count: 1 })))
}

test.group('Counting | properties', () => {
  test('{0}: ballot order does not change the result')
    .with(DOCS)
    .run(({ assert }, [method, settings, candidates]) => {
      fc.assert(
        fc.property(
          fc
            .array(ballotArb[method], { maxLength: 12 })
            .chain((ballots) =>
              fc.tuple(
                fc.constant(ballots),
                fc.shuffledSubarray(ballots, { minLength: ballots.length })
              )
            ),
          ([ballots, shuffled]) => {
            const doc = { method, settings, candidates, seed: 'prop' }
            const a = count({ ...doc, ballots })
            const b = count({ ...doc, ballots: shuffled })
            assert.deepEqual(outcome(b), outcome(a))
          }
        ),
        { numRuns: 60 }
      )
    })

  test('{0}: a ballot with count k equals k identical ballots')
    .with(DOCS)
    .run(({ assert }, [method, settings, candidates]) => {
      // k ≥ 1: a ballot with count 0 is still a ballot (its ids are Schulze candidates, it is a
      // majority entry, a dutt tally of 0), while 0 copies of it are nothing.
      const positive = ballotArb[method].map((b) => ({ ...b, count: b.count + 1 }))
      fc.assert(
        fc.property(fc.array(positive, { maxLength: 10 }), (ballots) => {
          const doc = { method, settings, candidates, seed: 'prop' }
          const a = count({ ...doc, ballots })
          const b = count({ ...doc, ballots: expand(ballots) })
          assert.deepEqual(b, a)
        }),
        { numRuns: 60 }
      )
    })

  test('schulze: a Condorcet winner is the winner', ({ assert }) => {
    fc.assert(
      fc.property(fc.array(ballotArb.schulze, { minLength: 1, maxLength: 15 }), (ballots) => {
        const result = count({ method: 'schulze', candidates: CANDIDATES, ballots, seed: 'c' })
        if (result.method !== 'schulze') throw new Error('method')
        // Independent pairwise count with the fill-in of 6.1.
        const rated = new Set(
          ballots.flatMap((b) => (b.ranking as Array<[number, number]>).map(([id]) => id))
        )
        const cands = CANDIDATES.filter((c) => rated.has(c))
        const d = (x: number, y: number) =>
          ballots.reduce((sum, b) => {
            const r = new Map(b.ranking as Array<[number, number]>)
            const low = Math.min(...r.values()) - 1
            return sum + ((r.get(x) ?? low) > (r.get(y) ?? low) ? b.count : 0)
          }, 0)
        const condorcet = cands.find((x) => cands.every((y) => x === y || d(x, y) > d(y, x)))
        if (condorcet !== undefined) {
          assert.equal(result.winner, condorcet)
          assert.isNull(result.tied_winners)
          assert.isFalse(result.randomized)
        }
      }),
      { numRuns: 300 }
    )
  })

  test('schulze: the winner is never beaten by a strong pair unless the heuristic ran', ({
    assert,
  }) => {
    fc.assert(
      fc.property(fc.array(ballotArb.schulze, { minLength: 1, maxLength: 15 }), (ballots) => {
        const result = count({ method: 'schulze', candidates: CANDIDATES, ballots, seed: 'c' })
        if (result.method !== 'schulze' || result.actions.length) return
        assert.isFalse(result.strong_pairs.some(([[, b]]) => b === result.winner))
      }),
      { numRuns: 200 }
    )
  })

  test('counting is deterministic for a given seed', ({ assert }) => {
    fc.assert(
      fc.property(
        fc.array(ballotArb.scottish_stv, { maxLength: 12 }),
        fc.string(),
        (ballots, seed) => {
          const doc = {
            method: 'scottish_stv',
            settings: { winners: 2 },
            candidates: CANDIDATES,
            ballots,
            seed,
          }
          assert.deepEqual(count(doc), count(doc))
        }
      ),
      { numRuns: 40 }
    )
  })
})
