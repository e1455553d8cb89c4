import { test } from '@japa/runner'
import { ballots, fixture, referenceStream, run, runFixture, table } from './helpers.js'

/**
 * Round tables of the ward profiles, computed with an independent, deliberately naive implementation of
 * 7.4–7.8 (per-ballot loops, Python's decimal module in its default context). Ward 2 elects three
 * candidates in one round, so it exercises the serial-transfer quirk of 7.7 on real data.
 */
const WARD_ROUNDS: Record<string, Array<[string, string, number[], Record<string, number>]>> = {
  'stvpoll-scottish-ward-01.json': [
    [
      'Elected',
      'Direct',
      [4],
      { 1: 99, 2: 2395, 3: 68, 4: 6079, 5: 56, 6: 375, 7: 1240, 8: 786, 9: 1971, 10: 1138 },
    ],
    [
      'Elected',
      'Direct',
      [10],
      {
        1: 112.84474,
        2: 2727.80625,
        3: 78.6498,
        5: 68.77976,
        6: 430.37896,
        7: 1285.79414,
        8: 868.53595,
        9: 2054.60093,
        10: 3652.95027,
      },
    ],
    [
      'Elected',
      'Direct',
      [2],
      {
        1: 118.77251,
        2: 2995.23045,
        3: 85.42231,
        5: 89.08002,
        6: 495.07688,
        7: 1305.99346,
        8: 966.01526,
        9: 2105.60091,
      },
    ],
    [
      'Excluded',
      'Direct',
      [3],
      {
        1: 123.46774,
        3: 100.37285,
        5: 101.70569,
        6: 502.0599,
        7: 1308.58761,
        8: 984.66233,
        9: 2108.283,
      },
    ],
    [
      'Excluded',
      'Direct',
      [5],
      { 1: 134.05097, 5: 120.032, 6: 509.78475, 7: 1321.62761, 8: 995.74442, 9: 2110.84273 },
    ],
    [
      'Excluded',
      'Direct',
      [1],
      { 1: 138.92859, 6: 537.26241, 7: 1326.06807, 8: 1014.76889, 9: 2117.29761 },
    ],
    ['Excluded', 'Direct', [6], { 6: 558.01703, 7: 1342.60056, 8: 1037.65912, 9: 2123.31576 }],
    ['Excluded', 'Direct', [8], { 7: 1485.09253, 8: 1167.36738, 9: 2225.04673 }],
    ['Excluded', 'Direct', [7], { 7: 1691.389, 9: 2387.70094 }],
    ['Elected', 'Direct', [9], { 9: 3744.21813 }],
  ],
  'stvpoll-scottish-ward-02.json': [
    [
      'Elected',
      'Direct',
      [1, 3, 4],
      { 1: 3083, 2: 560, 3: 2382, 4: 2334, 5: 880, 6: 1587, 7: 489 },
    ],
    ['Elected', 'Direct', [6], { 2: 657.47835, 5: 1009.94735, 6: 2293.44518, 7: 531.82351 }],
  ],
  'stvpoll-scottish-ward-04.json': [
    [
      'Elected',
      'Direct',
      [2],
      { 1: 1866, 2: 2951, 3: 1579, 4: 1390, 5: 1039, 6: 577, 7: 185, 8: 812 },
    ],
    [
      'Excluded',
      'Direct',
      [7],
      {
        1: 1879.28175,
        3: 1710.34175,
        4: 1402.10115,
        5: 1085.92885,
        6: 623.33855,
        7: 269.70805,
        8: 1073.5029,
      },
    ],
    [
      'Excluded',
      'Direct',
      [6],
      { 1: 1894.28175, 3: 1731.1302, 4: 1421.5769, 5: 1130.42215, 6: 651.5367, 8: 1149.8373 },
    ],
    [
      'Elected',
      'Direct',
      [3],
      { 1: 1917.5769, 3: 2157.284, 4: 1457.1672, 5: 1165.60275, 8: 1200.6433 },
    ],
    ['Excluded', 'Direct', [5], { 1: 1923.63283, 4: 1463.52261, 5: 1178.99474, 8: 1220.10945 }],
    ['Elected', 'Direct', [1], { 1: 2313.12955, 4: 1638.61078, 8: 1572.95213 }],
    ['Excluded', 'Direct', [8], { 4: 1836.95902, 8: 1582.42878 }],
    ['Elected', 'Direct', [4], { 4: 2207.78912 }],
  ],
}

const SEVEN_SEVEN = ballots('A>C', 5, 'B>A>D', 4, 'C', 1, 'D', 1, 'E', 2)
const ABCDE = ['A', 'B', 'C', 'D', 'E']

test.group('Counting | scottish_stv', () => {
  test('public ward profile {$self}: winners, quota and every round tally')
    .with([
      'stvpoll-scottish-ward-01.json',
      'stvpoll-scottish-ward-02.json',
      'stvpoll-scottish-ward-03.json',
      'stvpoll-scottish-ward-04.json',
    ])
    .run(({ assert }, file) => {
      const doc = fixture(file)
      const result = runFixture(doc)
      assert.sameMembers(result.winners as number[], doc.expected.winners)
      assert.deepEqual(result.approved, result.winners)
      assert.sameMembers(
        result.denied as number[],
        doc.candidates.filter((c: number) => !doc.expected.winners.includes(c))
      )
      assert.isTrue(result.complete)
      assert.isFalse(result.randomized)
      assert.isNull(result.random_order)
      const n = doc.ballots.reduce((s: number, b: { count: number }) => s + b.count, 0)
      assert.equal(result.quota, Math.floor(n / (doc.settings.winners + 1)) + 1)
      assert.equal(result.empty_ballot_count, 0)
      if (WARD_ROUNDS[file]) assert.deepEqual(table(result), WARD_ROUNDS[file])
    })

  test('ward results do not depend on the seed (no tie decides anything there)', ({ assert }) => {
    const doc = fixture('stvpoll-scottish-ward-02.json')
    const a = runFixture(doc, 'one')
    const b = runFixture(doc, 'two')
    assert.deepEqual(table(a), table(b))
    assert.notDeepEqual(a.candidates, b.candidates) // K differs, the tallies do not
  })

  test('worked example of 7.7: the serial-transfer quirk and a history tie-break', ({ assert }) => {
    const result = run('scottish_stv', ABCDE, SEVEN_SEVEN, { winners: 3 })
    assert.equal(result.quota, 4)
    assert.deepEqual(table(result), [
      ['Elected', 'Direct', ['A', 'B'], { A: 5, B: 4, C: 1, D: 1, E: 2 }],
      // B>A>D is moved by A (to B, +0.8) and again by B at 0.2 × 0.8/4.8 → 0.03333: D gets 4 × 0.03333.
      ['Excluded', 'Direct', ['D'], { C: 2, D: 1.13332, E: 2 }],
      // C and E tie at 2; round 2 ties them too; round 1 had C 1, E 2.
      ['Excluded', 'Tiebreak (history)', ['C'], { C: 2, E: 2 }],
      ['Elected', 'No competition left', ['E'], { E: 2 }],
    ])
    assert.deepEqual(result.winners, ['A', 'B', 'E'])
    assert.deepEqual(result.approved, ['A', 'B', 'E'])
    assert.deepEqual(result.denied, ['C', 'D'])
    assert.isTrue(result.complete)
    assert.isFalse(result.randomized)
    assert.isNull(result.random_order)
  })

  test('7.7 example with the random strategy only: the tie of round 3 goes to P', ({ assert }) => {
    for (const strategies of [['random'], ['random', 'history']] as const) {
      const result = run('scottish_stv', ABCDE, SEVEN_SEVEN, {
        winners: 3,
        tiebreak_strategies: [...strategies],
        random_order: ['A', 'B', 'C', 'D', 'E'],
      })
      // Lowest wanted: the last of {C, E} in P is E.
      assert.deepEqual(table(result).slice(2), [
        ['Excluded', 'Tiebreak (Random)', ['E'], { C: 2, E: 2 }],
        ['Elected', 'No competition left', ['C'], { C: 2 }],
      ])
      assert.isTrue(result.randomized)
      assert.deepEqual(result.random_order, ['A', 'B', 'C', 'D', 'E'])
    }
    const historyOnly = run('scottish_stv', ABCDE, SEVEN_SEVEN, {
      winners: 3,
      tiebreak_strategies: ['history'],
    })
    assert.deepEqual(historyOnly.winners, ['A', 'B', 'E'])
    assert.isFalse(historyOnly.randomized)
  })

  test('a tie in the first selection cannot use history: random_order decides', ({ assert }) => {
    const b = ballots('A', 3, 'B', 2, 'C', 2)
    const r1 = run('scottish_stv', ['A', 'B', 'C'], b, {
      winners: 1,
      random_order: ['A', 'B', 'C'],
    })
    assert.equal(r1.quota, 4)
    assert.deepEqual(table(r1), [
      ['Excluded', 'Tiebreak (Random)', ['C'], { A: 3, B: 2, C: 2 }],
      ['Excluded', 'Direct', ['B'], { A: 3, B: 2 }],
      ['Elected', 'No competition left', ['A'], { A: 3 }],
    ])
    assert.isTrue(r1.randomized)
    assert.deepEqual(r1.random_order, ['A', 'B', 'C'])
    assert.deepEqual(r1.denied, ['B', 'C'])
    const r2 = run('scottish_stv', ['A', 'B', 'C'], b, {
      winners: 1,
      random_order: ['A', 'C', 'B'],
    })
    assert.deepEqual(r2.rounds[0]!.selected, ['B'])
  })

  test('without a usable strategy the count stops incomplete: {0}')
    .with([
      { name: 'allow_random false', settings: { allow_random: false } },
      { name: 'tiebreak_strategies []', settings: { allow_random: true, tiebreak_strategies: [] } },
      { name: 'tiebreak_strategies [history]', settings: { tiebreak_strategies: ['history'] } },
    ] as const)
    .run(({ assert }, { settings }) => {
      const result = run('scottish_stv', ['A', 'B', 'C'], ballots('A', 3, 'B', 2, 'C', 2), {
        winners: 1,
        ...settings,
        tiebreak_strategies:
          'tiebreak_strategies' in settings ? [...settings.tiebreak_strategies] : null,
      })
      assert.deepEqual(result.rounds, [])
      assert.deepEqual(result.winners, [])
      assert.deepEqual(result.approved, [])
      assert.deepEqual(result.denied, []) // decision 7
      assert.isFalse(result.complete)
      assert.isFalse(result.randomized)
      assert.isNull(result.random_order)
    })

  test('tiebreak_strategies replaces allow_random: [random] draws even with allow_random false', ({
    assert,
  }) => {
    const result = run('scottish_stv', ['A', 'B', 'C'], ballots('A', 3, 'B', 2, 'C', 2), {
      winners: 1,
      allow_random: false,
      tiebreak_strategies: ['random'],
      random_order: ['C', 'B', 'A'],
    })
    assert.deepEqual(result.rounds[0]!.selected, ['B']) // last of {B, C} in P
    assert.deepEqual(result.winners, ['A'])
    assert.isTrue(result.randomized)
  })

  test('an incomplete count keeps the winners elected so far (decision 7)', ({ assert }) => {
    // 2 seats, quota 4: A elected; then B and C tie at 2 in every round.
    const result = run(
      'scottish_stv',
      ['A', 'B', 'C', 'D'],
      ballots('A', 4, 'B', 2, 'C', 2, 'D', 3),
      {
        winners: 2,
        allow_random: false,
      }
    )
    assert.equal(result.quota, 4)
    assert.deepEqual(table(result), [['Elected', 'Direct', ['A'], { A: 4, B: 2, C: 2, D: 3 }]])
    assert.deepEqual(result.winners, ['A'])
    assert.deepEqual(result.approved, ['A'])
    assert.deepEqual(result.denied, [])
    assert.isFalse(result.complete)
  })

  test('candidates elected together with equal tallies are listed in K order (7.6)', ({
    assert,
  }) => {
    // n = 16, quota 6. X is excluded and A, B both reach 6; round 1 had A 5, B 4.
    const b = ballots('A', 5, 'B', 4, 'X>A', 1, 'X>B', 2, 'Y', 4)
    const cands = ['A', 'B', 'X', 'Y']
    for (const seed of ['k1', 'k2', 'k3', 'k4', 'k5', 'k6']) {
      const result = run('scottish_stv', cands, b, { winners: 2 }, seed)
      const K = referenceStream(seed).shuffle(cands)
      assert.deepEqual(result.candidates, K)
      assert.deepEqual(table(result), [
        ['Excluded', 'Direct', ['X'], { A: 5, B: 4, X: 3, Y: 4 }],
        ['Elected', 'Direct', K.filter((c) => c === 'A' || c === 'B'), { A: 6, B: 6, Y: 4 }],
      ])
      assert.isFalse(result.randomized)
    }
  })

  test('pedantic_order orders equal tallies by tie-break: history', ({ assert }) => {
    const b = ballots('A', 5, 'B', 4, 'X>A', 1, 'X>B', 2, 'Y', 4)
    for (const seed of ['k1', 'k2', 'k3', 'k4']) {
      const result = run(
        'scottish_stv',
        ['A', 'B', 'X', 'Y'],
        b,
        { winners: 2, pedantic_order: true },
        seed
      )
      assert.deepEqual(table(result)[1], ['Elected', 'Direct', ['A', 'B'], { A: 6, B: 6, Y: 4 }])
      assert.isFalse(result.randomized)
    }
  })

  test('pedantic_order with a random tie-break: round method stays Direct, count is randomized', ({
    assert,
  }) => {
    // n = 7, 2 seats, quota 3: A and B reach it together in the first round.
    const result = run('scottish_stv', ['A', 'B', 'C'], ballots('A', 3, 'B', 3, 'C', 1), {
      winners: 2,
      pedantic_order: true,
      random_order: ['B', 'A', 'C'],
    })
    assert.deepEqual(table(result), [['Elected', 'Direct', ['B', 'A'], { A: 3, B: 3, C: 1 }]])
    assert.isTrue(result.randomized)
    assert.deepEqual(result.random_order, ['B', 'A', 'C'])
    const plain = run('scottish_stv', ['A', 'B', 'C'], ballots('A', 3, 'B', 3, 'C', 1), {
      winners: 2,
      random_order: ['B', 'A', 'C'],
    })
    assert.isFalse(plain.randomized) // the default order is not a tie-break
    assert.isNull(plain.random_order)
  })

  test('pedantic_order with an unbreakable tie stops before the round (decision 24)', ({
    assert,
  }) => {
    const result = run('scottish_stv', ['A', 'B', 'C'], ballots('A', 3, 'B', 3, 'C', 1), {
      winners: 2,
      pedantic_order: true,
      allow_random: false,
    })
    assert.deepEqual(result.rounds, [])
    assert.deepEqual(result.winners, [])
    assert.isFalse(result.complete)
    assert.deepEqual(result.denied, [])
  })

  test('quota_override: more candidates reach the quota than seats remain (decision 11)', ({
    assert,
  }) => {
    const result = run('scottish_stv', ['A', 'B', 'C'], ballots('C', 3, 'A', 5, 'B', 4), {
      winners: 2,
      quota_override: 2,
    })
    assert.equal(result.quota, 2)
    assert.deepEqual(table(result), [['Elected', 'Direct', ['A', 'B'], { A: 5, B: 4, C: 3 }]])
    assert.deepEqual(result.denied, ['C'])
    assert.isTrue(result.complete)
  })

  test('quota_override above every tally: no competition left elects by tally', ({ assert }) => {
    const result = run('scottish_stv', ['A', 'B'], ballots('A', 1, 'B', 2), {
      winners: 2,
      quota_override: 10,
    })
    assert.deepEqual(table(result), [
      ['Elected', 'No competition left', ['B', 'A'], { A: 1, B: 2 }],
    ])
    const pedantic = run('scottish_stv', ['A', 'B'], ballots('A', 1, 'B', 1), {
      winners: 2,
      quota_override: 10,
      pedantic_order: true,
      allow_random: false,
    })
    assert.isFalse(pedantic.complete)
    assert.deepEqual(pedantic.rounds, [])
  })

  test('empty rankings are counted apart and do not enter the quota (7.1)', ({ assert }) => {
    const result = run('scottish_stv', ['A', 'B'], ballots('', 3, 'A', 2, 'B', 1, '', 2), {
      winners: 1,
    })
    assert.equal(result.empty_ballot_count, 5)
    assert.equal(result.quota, 2) // floor(3 / 2) + 1
    assert.deepEqual(table(result), [['Elected', 'Direct', ['A'], { A: 2, B: 1 }]])
  })

  test('no ballots at all: quota 1, every tally 0, ties go to P', ({ assert }) => {
    const result = run('scottish_stv', ['A', 'B'], [], { winners: 1, random_order: ['A', 'B'] })
    assert.equal(result.quota, 1)
    assert.deepEqual(table(result), [
      ['Excluded', 'Tiebreak (Random)', ['B'], { A: 0, B: 0 }],
      ['Elected', 'No competition left', ['A'], { A: 0 }],
    ])
    assert.isTrue(result.randomized)
  })

  test('ballots with count 0 change nothing', ({ assert }) => {
    const a = run('scottish_stv', ABCDE, SEVEN_SEVEN, { winners: 3 })
    const b = run('scottish_stv', ABCDE, [...SEVEN_SEVEN, { ranking: ['E', 'C'], count: 0 }], {
      winners: 3,
    })
    assert.deepEqual(b, a)
  })

  test('integer ids: vote_count keys are strings, ids in lists keep their type', ({ assert }) => {
    const result = run(
      'scottish_stv',
      [10, 2, 33],
      [
        { ranking: [2, 10], count: 4 },
        { ranking: [33], count: 1 },
        { ranking: [10], count: 2 },
      ],
      { winners: 1 }
    )
    assert.deepEqual(table(result), [['Elected', 'Direct', [2], { '10': 2, '2': 4, '33': 1 }]])
    assert.deepEqual(result.denied, [10, 33])
    assert.sameMembers(result.candidates as number[], [10, 2, 33])
    assert.isTrue(result.candidates.every((c) => typeof c === 'number'))
  })

  test('seeded reproducibility: K and P are the first and second shuffle of the seed (8.2)', ({
    assert,
  }) => {
    const cands = ['A', 'B', 'C']
    const b = ballots('A', 3, 'B', 2, 'C', 2)
    for (const seed of ['s1', 's2', 's3', 'zz']) {
      const result = run('scottish_stv', cands, b, { winners: 1 }, seed)
      const ref = referenceStream(seed)
      const K = ref.shuffle(cands)
      const P = ref.shuffle(cands)
      assert.deepEqual(result.candidates, K)
      assert.deepEqual(result.random_order, P)
      assert.equal(result.seed, seed)
      // Lowest wanted: the last of {B, C} in P is excluded first.
      assert.deepEqual(result.rounds[0]!.selected, [P.indexOf('B') > P.indexOf('C') ? 'B' : 'C'])
      assert.deepEqual(run('scottish_stv', cands, b, { winners: 1 }, seed), result)
    }
  })

  test('with random_order given, K is still the first shuffle and P is not drawn', ({ assert }) => {
    const cands = ['A', 'B', 'C', 'D']
    const result = run(
      'scottish_stv',
      cands,
      ballots('A', 3, 'B', 2, 'C', 2),
      { winners: 1, random_order: ['D', 'C', 'B', 'A'] },
      'q'
    )
    assert.deepEqual(result.candidates, referenceStream('q').shuffle(cands))
    assert.deepEqual(result.random_order, ['D', 'C', 'B', 'A'])
  })

  test('without a seed one is generated, reported, and replays the count', ({ assert }) => {
    const cands = ['A', 'B', 'C']
    const b = ballots('A', 3, 'B', 2, 'C', 2)
    const result = run('scottish_stv', cands, b, { winners: 1 }, null)
    assert.match(result.seed!, /^[0-9a-f]{32}$/)
    assert.deepEqual(run('scottish_stv', cands, b, { winners: 1 }, result.seed), result)
    // Even a count without any random tie-break reports the seed of its K draw.
    const plain = run('scottish_stv', ABCDE, SEVEN_SEVEN, { winners: 3 }, null)
    assert.match(plain.seed!, /^[0-9a-f]{32}$/)
  })
})
