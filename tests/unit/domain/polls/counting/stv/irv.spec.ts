import { test } from '@japa/runner'
import { ballots, fixture, run, runFixture, table } from './helpers.js'

test.group('Counting | irv', () => {
  test('Wikipedia dessert example (public fixture): chocolate has a majority in round 1', ({
    assert,
  }) => {
    const doc = fixture('stvpoll-wikipedia-irv.json')
    const result = runFixture(doc)
    assert.deepEqual(result.winners, doc.expected.winners)
    assert.equal(result.randomized, doc.expected.randomized)
    assert.equal(result.quota, doc.expected.quota)
    assert.deepEqual(result.rounds.at(-1)!.vote_count, doc.expected.last_round_vote_count)
    assert.deepEqual(table(result), [
      [
        'Elected',
        'Direct',
        ['chocolate'],
        { orange: 4, chocolate: 12, pear: 2, strawberry: 1, bonbon: 1 },
      ],
    ])
    assert.deepEqual(result.denied, ['orange', 'pear', 'strawberry', 'bonbon'])
    assert.isTrue(result.complete)
  })

  test('exclusions transfer at full value until a majority is reached', ({ assert }) => {
    // n = 9, quota 5.
    const result = run('irv', ['A', 'B', 'C'], ballots('A', 4, 'B', 3, 'C>B', 2))
    assert.equal(result.quota, 5)
    assert.deepEqual(table(result), [
      ['Excluded', 'Direct', ['C'], { A: 4, B: 3, C: 2 }],
      ['Elected', 'Direct', ['B'], { A: 4, B: 5 }],
    ])
    assert.deepEqual(result.winners, ['B'])
    assert.deepEqual(result.denied, ['A', 'C'])
  })

  test('exhausted ballots still count in the quota: no majority ends incomplete (7.9)', ({
    assert,
  }) => {
    // n = 7, quota 4. C's ballots exhaust, A keeps 3 of 7.
    const result = run('irv', ['A', 'B', 'C'], ballots('A', 3, 'B', 2, 'C', 2), {
      random_order: ['A', 'B', 'C'],
    })
    assert.equal(result.quota, 4)
    assert.deepEqual(table(result), [
      ['Excluded', 'Tiebreak (Random)', ['C'], { A: 3, B: 2, C: 2 }],
      ['Excluded', 'Direct', ['B'], { A: 3, B: 2 }],
    ])
    assert.deepEqual(result.winners, [])
    assert.deepEqual(result.approved, [])
    assert.deepEqual(result.denied, [])
    assert.isFalse(result.complete)
    assert.isTrue(result.randomized)
    assert.deepEqual(result.random_order, ['A', 'B', 'C'])
  })

  test('empty ballots do not count toward the quota (decision 4)', ({ assert }) => {
    const result = run('irv', ['A', 'B'], ballots('', 10, 'A', 3, 'B', 2))
    assert.equal(result.quota, 3)
    assert.equal(result.empty_ballot_count, 10)
    assert.deepEqual(result.winners, ['A'])
  })

  test('no ballots: quota 1 and the count ends incomplete', ({ assert }) => {
    const random = run('irv', ['A', 'B', 'C'], [], { random_order: ['C', 'B', 'A'] })
    assert.equal(random.quota, 1)
    assert.deepEqual(table(random), [
      ['Excluded', 'Tiebreak (Random)', ['A'], { A: 0, B: 0, C: 0 }],
      ['Excluded', 'Tiebreak (Random)', ['B'], { B: 0, C: 0 }],
    ])
    assert.isFalse(random.complete)
    const noRandom = run('irv', ['A', 'B', 'C'], [], { allow_random: false })
    assert.deepEqual(noRandom.rounds, [])
    assert.isFalse(noRandom.complete)
    assert.isFalse(noRandom.randomized)
  })

  test('history breaks a later tie', ({ assert }) => {
    // n = 12, quota 7. D is excluded first, then B and C tie at 3 (round 1: B 3, C 2).
    const result = run('irv', ['A', 'B', 'C', 'D'], ballots('A', 6, 'B', 3, 'C', 2, 'D>C', 1), {
      allow_random: false,
    })
    assert.deepEqual(table(result).slice(0, 2), [
      ['Excluded', 'Direct', ['D'], { A: 6, B: 3, C: 2, D: 1 }],
      ['Excluded', 'Tiebreak (history)', ['C'], { A: 6, B: 3, C: 3 }],
    ])
  })

  test('quota_override: the first candidate in K order at the quota wins', ({ assert }) => {
    for (const seed of ['a', 'b', 'c', 'd']) {
      const result = run(
        'irv',
        ['A', 'B', 'C'],
        ballots('A', 2, 'B', 2, 'C', 1),
        { quota_override: 2 },
        seed
      )
      const first = result.candidates.find((c) => c === 'A' || c === 'B')
      assert.deepEqual(result.winners, [first!])
      assert.equal(result.quota, 2)
      assert.isFalse(result.randomized)
    }
  })
})
