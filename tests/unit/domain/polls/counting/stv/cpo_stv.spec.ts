import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  DuelRunner,
  combinations,
  cpoOutcomeCount,
  duelMargins,
} from '../../../../../../app/domain/polls/counting/stv/cpo_stv.js'
import { ballotsFromInput } from '../../../../../../app/domain/polls/counting/stv/core.js'
import { ballots, referenceStream, run, table } from './helpers.js'

// Wikipedia's CPO-STV example: 100 voters, 3 seats.
const WIKI_CANDIDATES = ['Andrea', 'Carter', 'Brad', 'Delilah', 'Scott']
const WIKI = ballots(
  'Andrea',
  25,
  'Carter>Brad>Delilah',
  34,
  'Brad>Delilah',
  7,
  'Delilah>Brad',
  8,
  'Delilah>Scott',
  5,
  'Scott>Delilah',
  21
)
const WIKI_V0 = { Andrea: 25, Carter: 34, Brad: 7, Delilah: 13, Scott: 21 }

test.group('Counting | cpo_stv', () => {
  test('Wikipedia example, following the algorithm with the Droop quota (decision 17)', ({
    assert,
  }) => {
    for (const seed of ['w1', 'w2', 'w3']) {
      const result = run('cpo_stv', WIKI_CANDIDATES, WIKI, { winners: 3 }, seed)
      assert.equal(result.quota, 26) // floor(100 / 4) + 1
      // {Andrea, Carter, Delilah} beats every other outcome; members ordered by V0 descending.
      assert.deepEqual(table(result), [
        ['Elected', 'Comparison of Pairs of Outcomes', ['Carter', 'Andrea', 'Delilah'], WIKI_V0],
      ])
      assert.deepEqual(result.denied, ['Brad', 'Scott'])
      assert.isTrue(result.complete)
      assert.isFalse(result.randomized)
      assert.isNull(result.random_order)
      assert.deepEqual(result.candidates, referenceStream(seed).shuffle(WIKI_CANDIDATES))
    }
  })

  test('one duel of the Wikipedia example, by hand', ({ assert }) => {
    const idx = (c: unknown) => WIKI_CANDIDATES.indexOf(c as string)
    const { ballots: set } = ballotsFromInput(WIKI, idx)
    const runner = new DuelRunner(WIKI_CANDIDATES.length, set, 26)
    const [A, C, B, D, S] = [0, 1, 2, 3, 4]
    // {A, C, D} vs {A, C, S}. First preferences among S = {A, C, D, S}: A 25, C 34, D 8 + 5 + 7 = 20, S 21.
    // Common candidates in input order: A (25 ≤ 26, nothing moves), then C (34 > 26): f = 8/34,
    // multiplier Q5(0.2352941…) = 0.23529, so D gets 34 × 0.23529 = 7.99986 and C keeps 26.
    // T1 = 25 + 26 + 27.99986 = 78.99986; T2 = 25 + 26 + 21 = 72.
    assert.equal(runner.duel([A, C, D], [A, C, S]), 699986)
    assert.equal(runner.duel([A, C, S], [A, C, D]), -699986)
    // {A, C, B} vs {A, C, D}: Scott>Delilah now counts for D, so D = 8 + 5 + 21 = 34 and B = 7; C's
    // surplus goes to B (its next choice among S − {A, C}): B = 14.99986.
    // T1 = 25 + 26 + 14.99986 = 65.99986; T2 = 25 + 26 + 34 = 85.
    assert.equal(runner.duel([A, C, B], [A, C, D]), -1900014)
  })

  test('a minimax tie goes to the outcome with the lexicographically smallest P positions (15)', ({
    assert,
  }) => {
    // n = 5, 2 seats, quota 2. Every outcome's worst defeat is 1 and all six form the Smith set.
    const cands = ['Andrea', 'Batman', 'Robin', 'Gorm']
    const b = ballots(
      'Andrea>Batman>Robin',
      1,
      'Robin>Andrea>Batman',
      1,
      'Batman>Robin>Andrea',
      1,
      'Gorm',
      2
    )
    const r1 = run('cpo_stv', cands, b, {
      winners: 2,
      random_order: ['Gorm', 'Robin', 'Batman', 'Andrea'],
    })
    assert.deepEqual(r1.winners, ['Gorm', 'Robin']) // positions [0, 1]; V0 Gorm 2 > Robin 1
    assert.isTrue(r1.randomized)
    assert.deepEqual(r1.random_order, ['Gorm', 'Robin', 'Batman', 'Andrea'])
    assert.equal(r1.rounds[0]!.method, 'Comparison of Pairs of Outcomes')
    const r2 = run(
      'cpo_stv',
      cands,
      b,
      { winners: 2, random_order: ['Andrea', 'Batman', 'Robin', 'Gorm'] },
      'k'
    )
    // {Andrea, Batman}: both have V0 1, so they are listed in K order.
    const K = referenceStream('k').shuffle(cands)
    assert.deepEqual(
      r2.winners,
      K.filter((c) => c === 'Andrea' || c === 'Batman')
    )
    const none = run('cpo_stv', cands, b, { winners: 2, allow_random: false })
    assert.deepEqual(none.winners, [])
    assert.deepEqual(none.rounds, [])
    assert.isFalse(none.complete)
    assert.deepEqual(none.denied, [])
    const strategies = run('cpo_stv', cands, b, {
      winners: 2,
      allow_random: false,
      tiebreak_strategies: ['history', 'random'],
    })
    assert.isTrue(strategies.randomized) // "random" in tiebreak_strategies allows it
  })

  test('Smith set with a tie: quota_override 100, one seat, empty ballots', ({ assert }) => {
    // Andrea ties Robin (3 : 3); both beat Gorm. Smith set {Andrea, Robin}, worst defeats 0 and 0.
    const cands = ['Andrea', 'Robin', 'Gorm']
    const b = ballots('Andrea', 3, 'Robin', 2, 'Gorm>Robin', 1, '', 3)
    const result = run('cpo_stv', cands, b, {
      winners: 1,
      quota_override: 100,
      random_order: ['Robin', 'Gorm', 'Andrea'],
    })
    assert.deepEqual(table(result), [
      ['Elected', 'Comparison of Pairs of Outcomes', ['Robin'], { Andrea: 3, Robin: 2, Gorm: 1 }],
    ])
    assert.isTrue(result.randomized)
    assert.equal(result.quota, 100)
    assert.equal(result.empty_ballot_count, 3)
  })

  test('as many candidates as seats: all elected in one Direct round, even without ballots', ({
    assert,
  }) => {
    const empty = run('cpo_stv', ['x', 'y'], [], { winners: 2 }, 'e')
    const K = referenceStream('e').shuffle(['x', 'y'])
    assert.deepEqual(table(empty), [['Elected', 'Direct', K, { x: 0, y: 0 }]])
    assert.isTrue(empty.complete)
    const some = run('cpo_stv', ['x', 'y'], ballots('x', 1, 'y', 2), { winners: 2 })
    assert.deepEqual(some.winners, ['y', 'x'])
  })

  test('pedantic_order is ignored', ({ assert }) => {
    const a = run('cpo_stv', WIKI_CANDIDATES, WIKI, {
      winners: 3,
      pedantic_order: true,
      allow_random: false,
    })
    const b = run('cpo_stv', WIKI_CANDIDATES, WIKI, { winners: 3, allow_random: false })
    assert.deepEqual(a, b)
  })

  test('shared duel tallies give the same margins as running every duel on its own', ({
    assert,
  }) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 6 }).chain((C) =>
          fc.record({
            C: fc.constant(C),
            seats: fc.integer({ min: 1, max: C - 1 }),
            quota: fc.integer({ min: 1, max: 6 }),
            ballots: fc.array(
              fc.record({
                ranking: fc.shuffledSubarray(
                  Array.from({ length: C }, (_, i) => i),
                  { minLength: 1 }
                ),
                count: fc.integer({ min: 1, max: 9 }),
              }),
              { maxLength: 10 }
            ),
          })
        ),
        ({ C, seats, quota, ballots: input }) => {
          const { ballots: set } = ballotsFromInput(input, (c) => c as number)
          const outcomes = combinations(
            Array.from({ length: C }, (_, i) => C - 1 - i),
            seats
          )
          const margins = duelMargins(C, set, quota, outcomes)
          const runner = new DuelRunner(C, set, quota)
          const n = outcomes.length
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) {
              if (i === j) continue
              assert.equal(margins[i * n + j], runner.duel(outcomes[i]!, outcomes[j]!))
            }
          }
        }
      ),
      { numRuns: 80 }
    )
  })

  test('outcome enumeration and count (decision 16)', ({ assert }) => {
    assert.deepEqual(combinations([3, 1, 2], 2), [
      [3, 1],
      [3, 2],
      [1, 2],
    ])
    assert.equal(cpoOutcomeCount(5, 3), 10)
    assert.equal(cpoOutcomeCount(14, 7), 3432)
    assert.equal(cpoOutcomeCount(13, 4), 715)
    assert.equal(cpoOutcomeCount(4, 4), 1)
    assert.equal(cpoOutcomeCount(60, 30), 118264581564861424)
  })
})
