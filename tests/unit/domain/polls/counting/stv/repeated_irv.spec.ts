import { test } from '@japa/runner'
import { fixture, referenceStream, run, runFixture, table } from './helpers.js'

test.group('Counting | repeated_irv', () => {
  test('VoteIT test poll (public fixture): winners in order', ({ assert }) => {
    const doc = fixture('voteit-repeated-irv-test-result.json')
    const result = runFixture(doc)
    assert.deepEqual(result.winners, doc.expected.winners)
    assert.deepEqual(result.approved, doc.expected.approved)
    // n = 11, Q = 6. Seat 1: 1 has 7 first preferences. Seat 2 on {2, 3}: 3 has 4 + 2, 2 has 5 → 3 wins.
    assert.equal(result.quota, 6)
    const v0 = { '1': 7, '2': 0, '3': 4 }
    assert.deepEqual(table(result), [
      ['Elected', 'Direct', [1], v0],
      ['Elected', 'Direct', [3], v0],
    ])
    assert.deepEqual(result.denied, [2])
    assert.isTrue(result.complete)
  })

  test('every outer round reports the first-preference tally V0 of all candidates', ({
    assert,
  }) => {
    // n = 11, Q = 6. Seat 1: 3 excluded, 1 reaches 7. Seat 2 on {2, 3}: 2 has 9.
    const result = run(
      'repeated_irv',
      [1, 2, 3],
      [
        { ranking: [1, 2], count: 5 },
        { ranking: [2], count: 4 },
        { ranking: [3, 1], count: 2 },
      ],
      { winners: 2 }
    )
    const v0 = { '1': 5, '2': 4, '3': 2 }
    assert.deepEqual(table(result), [
      ['Elected', 'Direct', [1], v0],
      ['Elected', 'Direct', [2], v0],
    ])
    assert.isFalse(result.randomized)
  })

  test('the quota stays fixed for every seat (decision 5), so a later seat can fail', ({
    assert,
  }) => {
    // n = 11, Q = 6. Seat 2 on {2, 3}: only 5 ballots still rank them; 2 ends with 3 < 6.
    const result = run(
      'repeated_irv',
      [1, 2, 3],
      [
        { ranking: [1], count: 6 },
        { ranking: [2], count: 3 },
        { ranking: [3], count: 2 },
      ],
      { winners: 2 }
    )
    assert.equal(result.quota, 6)
    assert.deepEqual(result.winners, [1])
    assert.deepEqual(table(result), [['Elected', 'Direct', [1], { '1': 6, '2': 3, '3': 2 }]])
    assert.isFalse(result.complete)
    assert.deepEqual(result.denied, [])
  })

  test('quota_override replaces Q for every seat; the first standing candidate in K order at it wins', ({
    assert,
  }) => {
    for (const seed of ['q1', 'q2', 'q3', 'q4']) {
      const result = run(
        'repeated_irv',
        [1, 2, 3],
        [
          { ranking: [1], count: 6 },
          { ranking: [2], count: 3 },
          { ranking: [3], count: 2 },
        ],
        { winners: 2, quota_override: 3 },
        seed
      )
      assert.equal(result.quota, 3)
      // 1 (6) and 2 (3) both reach 3 in the first inner count.
      const K = referenceStream(seed).shuffle([1, 2, 3])
      assert.deepEqual(
        result.winners,
        K.filter((c) => c !== 3)
      )
      assert.isTrue(result.complete)
    }
  })

  test('a random draw inside an inner count makes the result randomized (decision 6)', ({
    assert,
  }) => {
    // n = 8, Q = 5. Seat 1: 2 and 3 tie at 2 → the last of them in P is excluded; either way 1 wins.
    const doc = [
      { ranking: [1, 2], count: 4 },
      { ranking: [2], count: 2 },
      { ranking: [3, 1], count: 2 },
    ]
    for (const order of [
      [1, 2, 3],
      [1, 3, 2],
    ]) {
      const result = run('repeated_irv', [1, 2, 3], doc, { winners: 2, random_order: order })
      assert.deepEqual(result.winners, [1, 2])
      assert.isTrue(result.randomized)
      assert.deepEqual(result.random_order, order)
      // The outer rounds only record elections.
      assert.deepEqual(
        result.rounds.map((r) => r.method),
        ['Direct', 'Direct']
      )
    }
    const stopped = run('repeated_irv', [1, 2, 3], doc, { winners: 2, allow_random: false })
    assert.deepEqual(stopped.winners, [])
    assert.deepEqual(stopped.rounds, [])
    assert.isFalse(stopped.complete)
  })

  test('inner counts draw nothing new: K and P are the two draws of the seed', ({ assert }) => {
    const ballots = [
      { ranking: [1], count: 5 },
      { ranking: [2, 1], count: 1 },
      { ranking: [3], count: 1 },
      { ranking: [4, 1], count: 2 },
      { ranking: [2], count: 1 },
    ]
    // n = 10, Q = 6. Seat 1: 3 is excluded, then 2 and 4 tie at 2 in both snapshots → P; 1 reaches 6 or 7.
    // Seat 2 on {2, 3, 4}: 2 and 4 tie again, and the one left has 2 < 6: incomplete.
    for (const seed of ['r1', 'r2', 'r3', 'r4', 'r5']) {
      const result = run('repeated_irv', [1, 2, 3, 4], ballots, { winners: 2 }, seed)
      const ref = referenceStream(seed)
      const K = ref.shuffle([1, 2, 3, 4])
      const P = ref.shuffle([1, 2, 3, 4])
      assert.deepEqual(result.candidates, K)
      assert.deepEqual(result.random_order, P)
      assert.equal(result.winners[0], 1)
      assert.isTrue(result.randomized)
      assert.deepEqual(run('repeated_irv', [1, 2, 3, 4], ballots, { winners: 2 }, seed), result)
    }
  })

  test('winners equal to the number of candidates: the last inner count has one candidate', ({
    assert,
  }) => {
    const ok = run('repeated_irv', [1, 2], [{ ranking: [2, 1], count: 3 }], { winners: 2 })
    assert.deepEqual(ok.winners, [2, 1]) // 1 still holds every ballot once 2 is removed
    const short = run(
      'repeated_irv',
      [1, 2],
      [
        { ranking: [2], count: 3 },
        { ranking: [1], count: 1 },
      ],
      { winners: 2 }
    )
    assert.deepEqual(short.winners, [2]) // 1 has 1 < Q = 3
    assert.isFalse(short.complete)
  })
})
