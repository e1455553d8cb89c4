import { test } from '@japa/runner'
import fc from 'fast-check'
import type { StvMethodId } from '../../../../../../app/domain/polls/counting/stv/index.js'
import { type Ballots, run } from './helpers.js'

const METHODS: StvMethodId[] = ['scottish_stv', 'irv', 'repeated_irv', 'cpo_stv']

/** A small random profile: candidates 1…C, distinct-or-not rankings with counts, seats < C. */
const profile = fc.integer({ min: 2, max: 6 }).chain((C) =>
  fc.record({
    candidates: fc.constant(Array.from({ length: C }, (_, i) => i + 1)),
    seats: fc.integer({ min: 1, max: Math.min(C - 1, 3) }),
    ballots: fc.array(
      fc.record({
        ranking: fc.shuffledSubarray(
          Array.from({ length: C }, (_, i) => i + 1),
          { minLength: 0, maxLength: C }
        ),
        count: fc.integer({ min: 0, max: 6 }),
      }),
      { maxLength: 9 }
    ),
    method: fc.constantFrom(...METHODS),
    pedantic: fc.boolean(),
    allowRandom: fc.boolean(),
    seed: fc.string({ maxLength: 6 }),
  })
)

type Profile = typeof profile extends fc.Arbitrary<infer T> ? T : never

const count = (p: Profile, ballots: Ballots) =>
  run(
    p.method,
    p.candidates,
    ballots,
    {
      winners: p.method === 'irv' ? 1 : p.seats,
      pedantic_order: p.pedantic,
      allow_random: p.allowRandom,
    },
    p.seed
  )

test.group('Counting | STV properties', () => {
  test('the order of the ballots does not change the result', ({ assert }) => {
    fc.assert(
      fc.property(profile, fc.integer(), (p, salt) => {
        const shuffled = p.ballots
          .map((b, i) => ({ b, k: (i * 2654435761 + salt) >>> 0 }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.b)
        assert.deepEqual(count(p, shuffled), count(p, p.ballots))
        assert.deepEqual(count(p, [...p.ballots].reverse()), count(p, p.ballots))
      }),
      { numRuns: 300 }
    )
  })

  test('a ballot with count k equals k identical ballots of count 1', ({ assert }) => {
    fc.assert(
      fc.property(profile, (p) => {
        const expanded = p.ballots.flatMap((b) =>
          Array.from({ length: b.count }, () => ({ ranking: b.ranking, count: 1 }))
        )
        assert.deepEqual(count(p, expanded), count(p, p.ballots))
      }),
      { numRuns: 300 }
    )
  })

  test('a complete result has exactly `winners` distinct winners; an incomplete one denies nothing', ({
    assert,
  }) => {
    fc.assert(
      fc.property(profile, (p) => {
        const r = count(p, p.ballots)
        const seats = p.method === 'irv' ? 1 : p.seats
        assert.equal(r.complete, r.winners.length === seats)
        assert.isAtMost(r.winners.length, seats)
        assert.equal(new Set(r.winners).size, r.winners.length)
        assert.deepEqual(r.approved, r.winners)
        if (r.complete) {
          assert.deepEqual(
            r.denied,
            p.candidates.filter((c) => !r.winners.includes(c))
          )
        } else {
          assert.deepEqual(r.denied, [])
        }
        // With random tie-breaks allowed, Scottish STV and CPO-STV always fill every seat.
        if (p.allowRandom && (p.method === 'scottish_stv' || p.method === 'cpo_stv')) {
          assert.isTrue(r.complete)
        }
        assert.equal(r.random_order !== null, r.randomized)
        assert.sameMembers(r.candidates as number[], p.candidates)
        // Tallies never exceed the value of the non-empty ballots... except through the 7.7 quirk,
        // which can count a ballot once more per candidate elected together.
        const n = p.ballots.reduce((s, b) => s + (b.ranking.length ? b.count : 0), 0)
        for (const round of r.rounds) {
          for (const v of Object.values(round.vote_count)) {
            assert.isAtLeast(v, 0)
            assert.isAtMost(v, n * (seats + 1))
          }
        }
      }),
      { numRuns: 400 }
    )
  })

  test('the same document and seed always give the same result', ({ assert }) => {
    fc.assert(
      fc.property(profile, (p) => {
        assert.deepEqual(count(p, p.ballots), count(p, p.ballots))
      }),
      { numRuns: 100 }
    )
  })
})
