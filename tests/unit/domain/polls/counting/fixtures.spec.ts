import { test } from '@japa/runner'
import { count } from '#domain/polls/counting/index'
import { compareExpected, loadFixtures } from './fixtures.js'

test.group('Counting | public fixtures (library)', () => {
  test('{file}')
    .with(loadFixtures())
    .run(({ assert }, { doc }) => {
      const result = count(doc) as unknown as Record<string, unknown>
      assert.deepEqual(compareExpected(doc, result), [])
    })
})

test.group('Counting | STV through count (section 7 examples)', () => {
  test('serial-transfer quirk example of 7.7', ({ assert }) => {
    const result = count({
      method: 'scottish_stv',
      settings: { winners: 3 },
      candidates: ['A', 'B', 'C', 'D', 'E'],
      ballots: [
        { ranking: ['A', 'C'], count: 5 },
        { ranking: ['B', 'A', 'D'], count: 4 },
        { ranking: ['C'], count: 1 },
        { ranking: ['D'], count: 1 },
        { ranking: ['E'], count: 2 },
      ],
      seed: 'any',
    })
    if (result.method !== 'scottish_stv') return assert.fail('method')
    assert.equal(result.quota, 4)
    assert.deepEqual(
      result.rounds.map((r) => [r.status, r.method, r.selected, r.vote_count]),
      [
        ['Elected', 'Direct', ['A', 'B'], { A: 5, B: 4, C: 1, D: 1, E: 2 }],
        ['Excluded', 'Direct', ['D'], { C: 2, D: 1.13332, E: 2 }],
        ['Excluded', 'Tiebreak (history)', ['C'], { C: 2, E: 2 }],
        ['Elected', 'No competition left', ['E'], { E: 2 }],
      ]
    )
    assert.deepEqual(result.winners, ['A', 'B', 'E'])
    assert.deepEqual(result.approved, ['A', 'B', 'E'])
    assert.deepEqual(result.denied, ['C', 'D'])
    assert.isTrue(result.complete)
    assert.isFalse(result.randomized)
    assert.equal(result.seed, 'any')
    assert.equal(result.vote_count, 13)
  })

  test('STV output carries the common keys around the STV core output', ({ assert }) => {
    const result = count({
      method: 'irv',
      candidates: [1, 2, 3],
      ballots: [
        { ranking: [], count: 2 },
        { ranking: [2], count: 3 },
      ],
      abstentions: 1,
    })
    assert.containsSubset(result, {
      method: 'irv',
      vote_count: 5,
      abstains: 1,
      empty_ballot_count: 2,
      quota: 2,
      approved: [2],
      ballot_data: '{"": 2, "2": 3}',
    })
    assert.match(result.seed!, /^[0-9a-f]{32}$/)
  })

  test('stored STV shape: round tallies as [id, number] pairs, runtime, no winners key (4.6)', async ({
    assert,
  }) => {
    const { toStoredResult } = await import('#domain/polls/counting/index')
    const result = count({
      method: 'scottish_stv',
      settings: { winners: 1 },
      candidates: [1, 2],
      ballots: [
        { ranking: [2], count: 3 },
        { ranking: [1], count: 1 },
      ],
      seed: 's',
    })
    const stored = toStoredResult(result, 0.25) as Record<string, any>
    assert.notProperty(stored, 'winners')
    assert.equal(stored.runtime, 0.25)
    assert.deepEqual(stored.approved, [2])
    assert.sameDeepMembers(stored.rounds[0].vote_count, [
      [1, 1],
      [2, 3],
    ])
    assert.equal(stored.seed, 's')
  })
})

test.group('Counting | fixture comparison rules', () => {
  test('a wrong expectation is reported', ({ assert }) => {
    const [fixture] = loadFixtures().filter((f) => f.file.startsWith('stvpoll-scottish-ward-03'))
    const doc = { ...fixture!.doc, expected: { ...fixture!.doc.expected, winners: [1, 2, 4] } }
    assert.lengthOf(compareExpected(doc, count(doc) as never), 1)
    const names = { ...fixture!.doc, expected: { winner_names: ['Nobody'] } }
    assert.lengthOf(compareExpected(names, count(names) as never), 1)
  })
})
