import { test } from '@japa/runner'
import {
  count,
  toStoredResult,
  type CountResult,
  type RepeatedSchulzeResult,
  type SchulzeResult,
} from '#domain/polls/counting/index'

function schulze(doc: Record<string, unknown>): SchulzeResult {
  const result: CountResult = count({ method: 'schulze', ...doc })
  if (result.method !== 'schulze') throw new Error('not schulze')
  return result
}

function repeated(doc: Record<string, unknown>): RepeatedSchulzeResult {
  const result: CountResult = count({ method: 'repeated_schulze', ...doc })
  if (result.method !== 'repeated_schulze') throw new Error('not repeated_schulze')
  return result
}

/** Turns "ACB" into star ratings, best first (n, n-1, …). */
function rated(order: string, stars = order.length): Array<[string, number]> {
  return order.split('').map((c, i) => [c, stars - i])
}

// Wikipedia's Schulze example: 45 voters, 5 candidates, a cycle in the strong pairs; E wins.
const WIKIPEDIA: Array<[string, number]> = [
  ['ACBED', 5],
  ['ADECB', 5],
  ['BEDAC', 8],
  ['CABED', 3],
  ['CAEBD', 7],
  ['CBADE', 2],
  ['DCEBA', 7],
  ['EBADC', 8],
]

test.group('Counting | schulze (6.1–6.5)', () => {
  test('pairs, strong pairs and winner of the VoteIT example', ({ assert }) => {
    const result = schulze({
      settings: { stars: 5 },
      candidates: [10, 20, 30],
      ballots: [
        {
          ranking: [
            [10, 1],
            [20, 2],
            [30, 3],
          ],
          count: 5,
        },
        {
          ranking: [
            [10, 2],
            [20, 2],
            [30, 1],
          ],
          count: 10,
        },
      ],
    })
    assert.deepEqual(result.candidates, [10, 20, 30])
    assert.deepEqual(result.pairs, [
      [[10, 20], 0],
      [[10, 30], 10],
      [[20, 10], 5],
      [[20, 30], 10],
      [[30, 10], 5],
      [[30, 20], 5],
    ])
    // weight descending, equal weights in pair order
    assert.deepEqual(result.strong_pairs, [
      [[10, 30], 10],
      [[20, 30], 10],
      [[20, 10], 5],
    ])
    assert.equal(result.winner, 20)
    assert.isNull(result.tied_winners)
    assert.deepEqual(result.actions, [])
    assert.isFalse(result.randomized)
    assert.isNull(result.random_order)
    assert.deepEqual(result.approved, [20])
    assert.deepEqual(result.denied, [10, 30])
    assert.isNull(result.seed)
  })

  test('a cycle runs the Schwartz-set heuristic (Wikipedia example: E)', ({ assert }) => {
    const result = schulze({
      candidates: ['A', 'B', 'C', 'D', 'E'],
      ballots: WIKIPEDIA.map(([order, n]) => ({ ranking: rated(order), count: n })),
    })
    assert.deepEqual(result.strong_pairs, [
      [['B', 'D'], 33],
      [['E', 'D'], 31],
      [['A', 'D'], 30],
      [['C', 'B'], 29],
      [['D', 'C'], 28],
      [['E', 'B'], 27],
      [['A', 'C'], 26],
      [['B', 'A'], 25],
      [['C', 'E'], 24],
      [['E', 'A'], 23],
    ])
    // Every candidate is beaten: drop the weakest edges until nodes outside the Schwartz set appear.
    assert.deepEqual(result.actions, [
      { edges: [['E', 'A']] },
      { edges: [['C', 'E']] },
      { nodes: ['A', 'B', 'C', 'D'] },
    ])
    assert.equal(result.winner, 'E')
    assert.isNull(result.tied_winners)
    assert.deepEqual(result.denied, ['A', 'B', 'C', 'D'])
  })

  test('a symmetric three-cycle removes all equal edges at once and ties', ({ assert }) => {
    const result = schulze({
      candidates: [1, 2, 3],
      settings: { random_order: [3, 1, 2] },
      ballots: [
        {
          ranking: [
            [1, 3],
            [2, 2],
            [3, 1],
          ],
          count: 1,
        },
        {
          ranking: [
            [2, 3],
            [3, 2],
            [1, 1],
          ],
          count: 1,
        },
        {
          ranking: [
            [3, 3],
            [1, 2],
            [2, 1],
          ],
          count: 1,
        },
      ],
    })
    assert.deepEqual(result.actions, [
      {
        edges: [
          [1, 2],
          [2, 3],
          [3, 1],
        ],
      },
    ])
    assert.deepEqual(result.tied_winners, [1, 2, 3])
    assert.equal(result.winner, 3)
    assert.isTrue(result.randomized)
    assert.deepEqual(result.random_order, [3, 1, 2])
  })

  test('unrated candidates tie below the lowest rating of the ballot (6.1 fill-in)', ({
    assert,
  }) => {
    const result = schulze({
      candidates: [1, 2, 3],
      ballots: [
        { ranking: [[3, 0]], count: 2 },
        {
          ranking: [
            [1, 4],
            [2, 4],
          ],
          count: 1,
        },
      ],
    })
    // ballot 1: 3 (0) over 1 and 2 (−1 each); ballot 2: 1 = 2 over 3 (3)
    assert.deepEqual(result.pairs, [
      [[1, 2], 0],
      [[1, 3], 1],
      [[2, 1], 0],
      [[2, 3], 1],
      [[3, 1], 2],
      [[3, 2], 2],
    ])
    assert.equal(result.winner, 3)
  })

  test('an unrated proposal is not a candidate and neither approved nor denied (10 #18)', ({
    assert,
  }) => {
    const result = schulze({
      candidates: [1, 2, 3, 4],
      ballots: [
        {
          ranking: [
            [1, 3],
            [2, 1],
          ],
          count: 1,
        },
        { ranking: [[3, 2]], count: 1 },
      ],
    })
    assert.deepEqual(result.candidates, [1, 2, 3])
    assert.notInclude([...result.approved, ...result.denied], 4)
  })

  test('several unbeaten: first of P among them; seed drawn and reported (6.4, 8.2)', ({
    assert,
  }) => {
    const doc = {
      candidates: [1, 2, 3],
      ballots: [
        {
          ranking: [
            [1, 2],
            [2, 2],
            [3, 1],
          ],
          count: 1,
        },
      ],
    }
    const seeded = schulze({ ...doc, seed: 'fixed' })
    assert.deepEqual(seeded.tied_winners, [1, 2])
    assert.isTrue(seeded.randomized)
    assert.equal(seeded.seed, 'fixed')
    assert.lengthOf(seeded.random_order!, 3)
    assert.equal(
      seeded.winner,
      seeded.random_order!.find((c) => c === 1 || c === 2)
    )
    assert.deepEqual(schulze({ ...doc, seed: 'fixed' }), seeded)

    const unseeded = schulze(doc)
    assert.match(unseeded.seed!, /^[0-9a-f]{32}$/)
    assert.deepEqual(schulze({ ...doc, seed: unseeded.seed }), unseeded)
  })

  test('deny option: 0 listed first, winning it denies everything', ({ assert }) => {
    const result = schulze({
      settings: { deny_proposal: true },
      candidates: [1, 2],
      ballots: [
        {
          ranking: [
            [0, 3],
            [1, 1],
            [2, 2],
          ],
          count: 3,
        },
        { ranking: [[1, 3]], count: 1 },
      ],
    })
    assert.deepEqual(result.candidates, [0, 1, 2])
    assert.equal(result.winner, 0)
    assert.deepEqual(result.approved, [])
    assert.deepEqual(result.denied, [1, 2])
  })

  test('deny option losing: denied excludes 0', ({ assert }) => {
    const result = schulze({
      settings: { deny_proposal: true },
      candidates: [1, 2],
      ballots: [
        {
          ranking: [
            [0, 1],
            [1, 3],
            [2, 2],
          ],
          count: 3,
        },
      ],
    })
    assert.deepEqual([result.approved, result.denied], [[1], [2]])
  })

  test('random_order without 0 gets 0 appended with deny_proposal (8.3)', ({ assert }) => {
    const result = schulze({
      settings: { deny_proposal: true, random_order: [2, 1] },
      candidates: [1, 2],
      ballots: [
        {
          ranking: [
            [0, 1],
            [1, 1],
            [2, 1],
          ],
          count: 1,
        },
      ],
    })
    assert.deepEqual(result.tied_winners, [0, 1, 2])
    assert.equal(result.winner, 2)
    assert.deepEqual(result.random_order, [2, 1, 0])
  })

  test('no ballots: no winner, nothing decided (10 #19)', ({ assert }) => {
    const result = schulze({ candidates: [1, 2, 3], ballots: [] })
    assert.containsSubset(result, {
      candidates: [],
      winner: null,
      tied_winners: null,
      pairs: [],
      strong_pairs: [],
      actions: [],
      approved: [],
      denied: [],
      randomized: false,
      random_order: null,
      seed: null,
    })
  })

  test('stars above settings.stars count as given (10 #20)', ({ assert }) => {
    const result = schulze({
      settings: { stars: 3 },
      candidates: [1, 2, 3],
      ballots: [
        {
          ranking: [
            [1, 3],
            [2, 17],
            [3, 1],
          ],
          count: 1,
        },
      ],
    })
    assert.equal(result.winner, 2)
  })

  test('a single rated candidate wins without pairs', ({ assert }) => {
    const result = schulze({ candidates: [1, 2], ballots: [{ ranking: [[2, 1]], count: 1 }] })
    assert.containsSubset(result, {
      candidates: [2],
      winner: 2,
      pairs: [],
      approved: [2],
      denied: [],
    })
  })

  test('stored shape (4.6)', ({ assert }) => {
    const result = schulze({ candidates: [1, 2], ballots: [{ ranking: [[2, 1]], count: 1 }] })
    assert.sameMembers(Object.keys(toStoredResult(result, 0)), [
      'candidates',
      'winner',
      'pairs',
      'strong_pairs',
      'tied_winners',
      'approved',
      'denied',
      'vote_count',
      'seed',
    ])
  })
})

test.group('Counting | repeated_schulze (6.6)', () => {
  test('winners 2: approved in round order, denied in candidate order (10 #9)', ({ assert }) => {
    const result = repeated({
      settings: { winners: 2 },
      candidates: [1, 2, 3, 4],
      ballots: [
        {
          ranking: [
            [3, 5],
            [1, 4],
            [2, 3],
            [4, 1],
          ],
          count: 3,
        },
        {
          ranking: [
            [1, 5],
            [3, 4],
            [4, 3],
          ],
          count: 2,
        },
      ],
    })
    assert.deepEqual(result.order, [3, 1])
    assert.lengthOf(result.rounds, 2)
    assert.deepEqual(result.rounds[1]!.candidates, [1, 2, 4])
    assert.deepEqual(result.approved, [3, 1])
    assert.deepEqual(result.denied, [2, 4])
    assert.deepEqual(result.candidates, [1, 2, 3, 4])
    assert.containsSubset(result.rounds[0]!, {
      winner: 3,
      tied_winners: null,
      actions: [],
      randomized: false,
    })
  })

  test('sort all (winners null) only produces an order and stops when candidates run out', ({
    assert,
  }) => {
    const result = repeated({
      settings: { winners: null },
      candidates: [1, 2, 3, 4],
      ballots: [
        {
          ranking: [
            [2, 3],
            [1, 2],
          ],
          count: 1,
        },
      ],
    })
    assert.deepEqual(result.order, [2, 1])
    assert.deepEqual([result.approved, result.denied], [[], []])
  })

  test('the next round fills in afresh after removing the winner', ({ assert }) => {
    // Round 2: ballot 1 rates only 2 (5) after removing 1, so 3 falls below it.
    const result = repeated({
      settings: { winners: 2 },
      candidates: [1, 2, 3],
      ballots: [
        {
          ranking: [
            [1, 9],
            [2, 5],
          ],
          count: 2,
        },
        {
          ranking: [
            [3, 9],
            [1, 8],
          ],
          count: 1,
        },
      ],
    })
    assert.deepEqual(result.order, [1, 2])
    assert.deepEqual(result.rounds[1]!.pairs, [
      [[2, 3], 2],
      [[3, 2], 1],
    ])
  })

  test('deny option winning a round stops the count', ({ assert }) => {
    const result = repeated({
      settings: { winners: 3, deny_proposal: true },
      candidates: [1, 2, 3],
      ballots: [
        {
          ranking: [
            [1, 5],
            [0, 4],
            [2, 3],
            [3, 2],
          ],
          count: 1,
        },
      ],
    })
    assert.deepEqual(result.order, [1, 0])
    assert.deepEqual(result.approved, [1])
    assert.deepEqual(result.denied, [2, 3])
  })

  test('no ballots: no rounds (10 #19)', ({ assert }) => {
    const result = repeated({ settings: { winners: 2 }, candidates: [1, 2, 3], ballots: [] })
    assert.containsSubset(result, {
      rounds: [],
      order: [],
      candidates: [],
      approved: [],
      denied: [],
    })
  })

  test('a tie in a later round makes the result randomized with P reported', ({ assert }) => {
    const result = repeated({
      settings: { winners: 2, random_order: [3, 2, 1] },
      candidates: [1, 2, 3],
      ballots: [
        {
          ranking: [
            [1, 5],
            [2, 1],
            [3, 1],
          ],
          count: 1,
        },
      ],
    })
    assert.deepEqual(result.order, [1, 3])
    assert.isFalse(result.rounds[0]!.randomized)
    assert.isTrue(result.rounds[1]!.randomized)
    assert.isTrue(result.randomized)
    assert.deepEqual(result.random_order, [3, 2, 1])
  })

  test('VoteIT 3 sorted_schulze single voter: order follows the ballot', ({ assert }) => {
    const result = count({
      method: 'sorted_schulze',
      settings: { stars: 5, deny_proposal: false, winners: null },
      candidates: ['A', 'B', 'C', 'D', 'E'],
      ballots: [{ ranking: rated('ABCDE', 5), count: 1 }],
    }) as RepeatedSchulzeResult
    assert.deepEqual(result.order, ['A', 'B', 'C', 'D', 'E'])
  })
})
