import { test } from '@japa/runner'
import { count, toStoredResult } from '#domain/polls/counting/index'

test.group('Counting | simple (5.1)', () => {
  test('yes {0} no {1} → approved {2}, denied {3}')
    .with([
      [2, 1, [7], []],
      [1, 2, [], [7]],
      [2, 2, [], []],
      [0, 0, [], []],
    ] as Array<[number, number, number[], number[]]>)
    .run(({ assert }, [yes, no, approved, denied]) => {
      const result = count({
        method: 'simple',
        candidates: [7],
        ballots: [
          { choice: 'yes', count: yes },
          { choice: 'no', count: no },
        ],
        abstentions: 3,
      })
      assert.containsSubset(result, {
        yes,
        no,
        approved,
        denied,
        vote_count: yes + no,
        abstains: 3,
        seed: null,
      })
    })

  test('stored shape (4.6)', ({ assert }) => {
    const result = count({
      method: 'simple',
      candidates: [7],
      ballots: [{ choice: 'yes', count: 2 }],
    })
    assert.deepEqual(toStoredResult(result, 0.01), {
      yes: 2,
      no: 0,
      approved: [7],
      denied: [],
      vote_count: 2,
      seed: null,
    })
  })
})

test.group('Counting | combined_simple (5.2)', () => {
  test('an id in both lists counts as yes; an unmentioned proposal is an abstention (10 #25)', ({
    assert,
  }) => {
    const result = count({
      method: 'combined_simple',
      candidates: [3, 1, 2],
      ballots: [
        { yes: [1], no: [2], count: 2 },
        { no: [1, 3], count: 1 },
        { abstain: [2], count: 1 },
      ],
      abstentions: 5,
    })
    assert.equal(result.method, 'combined_simple')
    if (result.method !== 'combined_simple') return
    assert.deepEqual(result.results, {
      '3': { yes: 0, no: 1, abstain: 3 },
      '1': { yes: 2, no: 1, abstain: 1 },
      '2': { yes: 0, no: 2, abstain: 2 },
    })
    // input order
    assert.deepEqual(result.approved, [1])
    assert.deepEqual(result.denied, [3, 2])
    assert.equal(result.vote_count, 4)
    assert.equal(result.abstains, 5)
  })

  test('a tie decides nothing; every input candidate is in results', ({ assert }) => {
    const result = count({
      method: 'combined_simple',
      candidates: ['a', 'b'],
      ballots: [
        { yes: ['a'], count: 1 },
        { no: ['a'], count: 1 },
      ],
    })
    assert.containsSubset(result, {
      approved: [],
      denied: [],
      results: { a: { yes: 1, no: 1, abstain: 0 }, b: { yes: 0, no: 0, abstain: 2 } },
    })
  })
})

test.group('Counting | majority (5.3)', () => {
  test('results ascending by votes, stable in ballot order', ({ assert }) => {
    const result = count({
      method: 'majority',
      candidates: [1, 2],
      ballots: [
        { choice: 2, count: 2 },
        { choice: 1, count: 2 },
      ],
    })
    assert.containsSubset(result, {
      results: [
        { proposal: 2, votes: 2 },
        { proposal: 1, votes: 2 },
      ],
      approved: [],
      denied: [],
    })
  })

  test('ballots for the same proposal merge before building results', ({ assert }) => {
    const result = count({
      method: 'majority',
      candidates: [1, 2],
      ballots: [
        { choice: 1, count: 1 },
        { choice: 2, count: 2 },
        { choice: 1, count: 2 },
      ],
    })
    assert.containsSubset(result, {
      results: [
        { proposal: 2, votes: 2 },
        { proposal: 1, votes: 3 },
      ],
      approved: [1],
      denied: [2],
      vote_count: 5,
    })
  })

  test('one voted proposal among three: approved, every other denied (10 #2, #3)', ({ assert }) => {
    const result = count({
      method: 'majority',
      candidates: [4, 5, 6],
      ballots: [{ choice: 5, count: 3 }],
    })
    assert.containsSubset(result, {
      approved: [5],
      denied: [4, 6],
      results: [{ proposal: 5, votes: 3 }],
    })
  })

  test('nothing decided: {0}')
    .with([
      ['no ballots', []],
      ['a single entry with 0 votes', [{ choice: 1, count: 0 }]],
      [
        'a tie',
        [
          { choice: 1, count: 1 },
          { choice: 2, count: 1 },
        ],
      ],
    ] as Array<[string, Array<{ choice: number; count: number }>]>)
    .run(({ assert }, [_why, ballots]) => {
      const result = count({ method: 'majority', candidates: [1, 2], ballots })
      assert.deepEqual([result.approved, result.denied], [[], []])
    })

  test('results entries have exactly the keys proposal and votes', ({ assert }) => {
    const result = count({
      method: 'majority',
      candidates: [1, 2],
      ballots: [{ choice: 1, count: 1 }],
    })
    if (result.method !== 'majority') return assert.fail('method')
    assert.deepEqual(Object.keys(result.results[0]!), ['proposal', 'votes'])
  })
})

test.group('Counting | dutt (5.4)', () => {
  test('tallies in first-tallied order, ids ascending within a ballot; never decides', ({
    assert,
  }) => {
    const result = count({
      method: 'dutt',
      settings: { min: 1, max: 2 },
      candidates: [1, 2, 3, 4],
      ballots: [
        { choices: [3, 2], count: 2 },
        { choices: [1], count: 1 },
        { choices: [3], count: 1 },
      ],
    })
    assert.containsSubset(result, {
      results: [
        { proposal: 2, votes: 2 },
        { proposal: 3, votes: 3 },
        { proposal: 1, votes: 1 },
      ],
      votes_per_proposal: { '1': 1, '2': 2, '3': 3 },
      approved: [],
      denied: [],
      vote_count: 4,
    })
  })

  test('stored shape keeps approved and denied empty (4.6)', ({ assert }) => {
    const result = count({ method: 'dutt', candidates: [1], ballots: [{ choices: [1], count: 1 }] })
    assert.deepEqual(toStoredResult(result, 0), {
      results: [{ proposal: 1, votes: 1 }],
      approved: [],
      denied: [],
      vote_count: 1,
      seed: null,
    })
  })
})
