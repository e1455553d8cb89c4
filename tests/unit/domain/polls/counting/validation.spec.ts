import { test } from '@japa/runner'
import {
  count,
  CountInputError,
  ERROR_CODES,
  normalizeSettings,
  type ErrorCode,
} from '#domain/polls/counting/index'

function errorOf(doc: unknown): CountInputError {
  try {
    count(doc)
  } catch (error) {
    if (error instanceof CountInputError) return error
    throw error
  }
  throw new Error('expected a CountInputError')
}

const stv = (extra: Record<string, unknown> = {}) => ({
  method: 'scottish_stv',
  settings: { winners: 1 },
  candidates: [1, 2, 3],
  ballots: [{ ranking: [1, 2], count: 1 }],
  ...extra,
})

test.group('Counting | validation errors (9.3)', () => {
  test('{0} at "{1}"')
    .with([
      // invalid_document
      ['invalid_document', '', 'not an object', [1, 2]],
      ['invalid_document', 'method', 'missing method', { candidates: [1], ballots: [] }],
      [
        'invalid_document',
        'method',
        'method not a string',
        { method: 3, candidates: [1], ballots: [] },
      ],
      ['invalid_document', 'candidates', 'missing candidates', { method: 'irv', ballots: [] }],
      [
        'invalid_document',
        'candidates',
        'empty candidates',
        { method: 'irv', candidates: [], ballots: [] },
      ],
      [
        'invalid_document',
        'candidates[1]',
        'duplicate candidate',
        { method: 'irv', candidates: [1, 1], ballots: [] },
      ],
      [
        'invalid_document',
        'candidates[1]',
        'mixed id types',
        { method: 'irv', candidates: [1, 'a'], ballots: [] },
      ],
      [
        'invalid_document',
        'candidates[0]',
        'non-integer id',
        { method: 'irv', candidates: [1.5], ballots: [] },
      ],
      ['invalid_document', 'ballots', 'missing ballots', { method: 'irv', candidates: [1] }],
      [
        'invalid_document',
        'ballots[0].count',
        'negative count',
        stv({ ballots: [{ ranking: [1], count: -1 }] }),
      ],
      [
        'invalid_document',
        'ballots[0].count',
        'fractional count',
        stv({ ballots: [{ ranking: [1], count: 1.5 }] }),
      ],
      [
        'invalid_document',
        'ballots[0].count',
        'count as string',
        stv({ ballots: [{ ranking: [1], count: '1' }] }),
      ],
      [
        'invalid_document',
        'ballots[0].count',
        'missing count',
        stv({ ballots: [{ ranking: [1] }] }),
      ],
      ['invalid_document', 'abstentions', 'negative abstentions', stv({ abstentions: -2 })],
      ['invalid_document', 'seed', 'seed not a string', stv({ seed: 12 })],
      [
        'invalid_document',
        'candidates[0]',
        '0 with deny_proposal',
        { method: 'schulze', settings: { deny_proposal: true }, candidates: [0, 1], ballots: [] },
      ],
      // unknown_method
      ['unknown_method', 'method', 'unknown id', { method: 'borda', candidates: [1], ballots: [] }],
      [
        'unknown_method',
        'method',
        'historic schulze_pr',
        { method: 'schulze_pr', candidates: [1], ballots: [] },
      ],
      [
        'unknown_method',
        'method',
        'historic schulze_stv',
        { method: 'schulze_stv', candidates: [1], ballots: [] },
      ],
      // invalid_settings
      [
        'invalid_settings',
        'settings.colour',
        'unknown key',
        stv({ settings: { winners: 1, colour: 'red' } }),
      ],
      [
        'invalid_settings',
        'settings.winners',
        'winners as string',
        stv({ settings: { winners: '1' } }),
      ],
      ['invalid_settings', 'settings.winners', 'missing winners', stv({ settings: {} })],
      ['invalid_settings', 'settings.winners', 'winners 0', stv({ settings: { winners: 0 } })],
      [
        'invalid_settings',
        'settings.winners',
        'winners > candidates',
        stv({ settings: { winners: 4 } }),
      ],
      [
        'invalid_settings',
        'settings.allow_random',
        'allow_random not boolean',
        stv({ settings: { winners: 1, allow_random: 1 } }),
      ],
      [
        'invalid_settings',
        'settings.quota_override',
        'quota_override 0',
        stv({ settings: { winners: 1, quota_override: 0 } }),
      ],
      [
        'invalid_settings',
        'settings.random_order[1]',
        'random_order unknown id',
        stv({ settings: { winners: 1, random_order: [1, 9, 2, 3] } }),
      ],
      [
        'invalid_settings',
        'settings.random_order[1]',
        'random_order duplicate',
        stv({ settings: { winners: 1, random_order: [1, 1, 2, 3] } }),
      ],
      [
        'invalid_settings',
        'settings.random_order',
        'random_order missing id',
        stv({ settings: { winners: 1, random_order: [1, 2] } }),
      ],
      [
        'invalid_settings',
        'settings.tiebreak_strategies[0]',
        'unknown strategy',
        stv({ settings: { winners: 1, tiebreak_strategies: ['coin'] } }),
      ],
      ['invalid_settings', 'settings', 'settings not an object', stv({ settings: [1] })],
      [
        'invalid_settings',
        'settings.winners',
        'repeated_schulze winners 0',
        { method: 'repeated_schulze', settings: { winners: 0 }, candidates: [1, 2], ballots: [] },
      ],
      [
        'invalid_settings',
        'settings.stars',
        'stars as string',
        { method: 'schulze', settings: { stars: '5' }, candidates: [1, 2], ballots: [] },
      ],
      [
        'invalid_settings',
        'settings.random_order',
        'library option on a simple method',
        { method: 'majority', settings: { random_order: [1, 2] }, candidates: [1, 2], ballots: [] },
      ],
      [
        'invalid_settings',
        'settings.winners',
        'irv takes no winners',
        { method: 'irv', settings: { winners: 1 }, candidates: [1, 2], ballots: [] },
      ],
      // unknown_candidate
      [
        'unknown_candidate',
        'ballots[1].ranking[1]',
        'STV ranking',
        stv({
          ballots: [
            { ranking: [1], count: 1 },
            { ranking: [2, 12], count: 1 },
          ],
        }),
      ],
      [
        'unknown_candidate',
        'ballots[0].ranking[0]',
        'string id for integer candidates',
        stv({ ballots: [{ ranking: ['1'], count: 1 }] }),
      ],
      [
        'unknown_candidate',
        'ballots[0].choice',
        'majority',
        { method: 'majority', candidates: [1, 2], ballots: [{ choice: 3, count: 1 }] },
      ],
      [
        'unknown_candidate',
        'ballots[0].no[0]',
        'combined_simple',
        { method: 'combined_simple', candidates: [1, 2], ballots: [{ no: [5], count: 1 }] },
      ],
      [
        'unknown_candidate',
        'ballots[0].choices[1]',
        'dutt',
        { method: 'dutt', candidates: [1, 2], ballots: [{ choices: [1, 3], count: 1 }] },
      ],
      [
        'unknown_candidate',
        'ballots[0].ranking[0]',
        'schulze 0 without deny_proposal',
        { method: 'schulze', candidates: [1, 2], ballots: [{ ranking: [[0, 1]], count: 1 }] },
      ],
      // duplicate_candidate
      [
        'duplicate_candidate',
        'ballots[0].ranking[2]',
        'STV ranking',
        stv({ ballots: [{ ranking: [1, 2, 1], count: 1 }] }),
      ],
      [
        'duplicate_candidate',
        'ballots[0].no[0]',
        'across yes and no',
        {
          method: 'combined_simple',
          candidates: [1, 2],
          ballots: [{ yes: [1], no: [1], count: 1 }],
        },
      ],
      [
        'duplicate_candidate',
        'ballots[0].yes[1]',
        'within one list',
        { method: 'combined_simple', candidates: [1, 2], ballots: [{ yes: [1, 1], count: 1 }] },
      ],
      [
        'duplicate_candidate',
        'ballots[0].choices[1]',
        'dutt (10 #21)',
        { method: 'dutt', candidates: [1, 2], ballots: [{ choices: [2, 2], count: 1 }] },
      ],
      [
        'duplicate_candidate',
        'ballots[0].ranking[1]',
        'schulze',
        {
          method: 'schulze',
          candidates: [1, 2],
          ballots: [
            {
              ranking: [
                [1, 1],
                [1, 2],
              ],
              count: 1,
            },
          ],
        },
      ],
      // invalid_ballot
      [
        'invalid_ballot',
        'ballots[0].choice',
        'simple choice maybe',
        { method: 'simple', candidates: [1], ballots: [{ choice: 'maybe', count: 1 }] },
      ],
      [
        'invalid_ballot',
        'ballots[0].choice',
        'simple choice missing',
        { method: 'simple', candidates: [1], ballots: [{ count: 1 }] },
      ],
      [
        'invalid_ballot',
        'ballots[0].ranking',
        'STV payload on a simple method',
        { method: 'simple', candidates: [1], ballots: [{ choice: 'yes', ranking: [1], count: 1 }] },
      ],
      [
        'invalid_ballot',
        'ballots[0].ranking',
        'ranking not a list',
        stv({ ballots: [{ ranking: '1,2', count: 1 }] }),
      ],
      ['invalid_ballot', 'ballots[0]', 'ballot not an object', stv({ ballots: [[1, 2]] })],
      [
        'invalid_ballot',
        'ballots[0].ranking[0][1]',
        'negative stars',
        { method: 'schulze', candidates: [1, 2], ballots: [{ ranking: [[1, -1]], count: 1 }] },
      ],
      [
        'invalid_ballot',
        'ballots[0].ranking[0][1]',
        'fractional stars',
        { method: 'schulze', candidates: [1, 2], ballots: [{ ranking: [[1, 2.5]], count: 1 }] },
      ],
      [
        'invalid_ballot',
        'ballots[0].ranking',
        'empty Schulze ranking',
        { method: 'schulze', candidates: [1, 2], ballots: [{ ranking: [], count: 1 }] },
      ],
      [
        'invalid_ballot',
        'ballots[0].ranking[0]',
        'Schulze entry not a pair',
        { method: 'schulze', candidates: [1, 2], ballots: [{ ranking: [1], count: 1 }] },
      ],
      [
        'invalid_ballot',
        'ballots[0].ranking[0]',
        'id of wrong shape',
        stv({ ballots: [{ ranking: [{ id: 1 }], count: 1 }] }),
      ],
      // not_enough_candidates
      [
        'not_enough_candidates',
        'candidates',
        'simple with two candidates',
        { method: 'simple', candidates: [1, 2], ballots: [] },
      ],
      // too_many_choices
      [
        'too_many_choices',
        'ballots',
        'majority with three choices',
        {
          method: 'majority',
          candidates: [1, 2, 3],
          ballots: [
            { choice: 1, count: 1 },
            { choice: 2, count: 1 },
            { choice: 3, count: 1 },
          ],
        },
      ],
      // too_many_outcomes
      [
        'too_many_outcomes',
        'settings.winners',
        'cpo_stv 20 choose 4',
        {
          method: 'cpo_stv',
          settings: { winners: 4 },
          candidates: Array.from({ length: 20 }, (_, i) => i + 1),
          ballots: [],
        },
      ],
    ] as Array<[ErrorCode, string, string, unknown]>)
    .run(({ assert }, [code, path, _why, doc]) => {
      const error = errorOf(doc)
      assert.equal(error.code, code)
      assert.equal(error.issues[0]?.path, path)
      assert.notInclude(error.message, '\n')
      assert.isTrue(error.message.startsWith(path ? `${path}: ` : ''))
    })

  test('the message names the problem: {0}')
    .with([
      [
        stv({
          ballots: [
            { ranking: [1], count: 1 },
            { ranking: [1], count: 1 },
            { ranking: [1], count: 1 },
            { ranking: [2, 12], count: 1 },
          ],
        }),
        'ballots[3].ranking[1]: unknown candidate 12',
      ],
      [
        { method: 'schulze_stv', candidates: [1], ballots: [] },
        "method: historic methods can't be used (schulze_stv)",
      ],
      [
        stv({ ballots: [{ ranking: [3, 3], count: 1 }] }),
        'ballots[0].ranking[1]: duplicate candidate 3',
      ],
    ] as Array<[unknown, string]>)
    .run(({ assert }, [doc, message]) => {
      assert.equal(errorOf(doc).message, message)
    })

  test('every code of 9.3 is covered by the table above', ({ assert }) => {
    assert.sameMembers(
      [...ERROR_CODES],
      [
        'invalid_document',
        'unknown_method',
        'invalid_settings',
        'unknown_candidate',
        'duplicate_candidate',
        'invalid_ballot',
        'not_enough_candidates',
        'too_many_choices',
        'too_many_outcomes',
      ]
    )
  })

  test('cpo_stv with at most 1,000 outcomes is counted', ({ assert }) => {
    // C(10, 3) = 120 outcomes
    const result = count({
      method: 'cpo_stv',
      settings: { winners: 3 },
      candidates: Array.from({ length: 10 }, (_, i) => i + 1),
      ballots: [
        { ranking: [1, 2, 3], count: 3 },
        { ranking: [4, 5], count: 2 },
      ],
      seed: 's',
    })
    assert.lengthOf(result.approved, 3)
  })
})

test.group('Counting | defaults, aliases and ignored keys (9.2)', () => {
  test('VoteIT 3 aliases count as the current method', ({ assert }) => {
    const sorted = count({
      method: 'sorted_schulze',
      candidates: [1, 2],
      ballots: [
        {
          ranking: [
            [1, 2],
            [2, 1],
          ],
          count: 1,
        },
      ],
    })
    assert.equal(sorted.method, 'repeated_schulze')
    const dutt = count({
      method: 'dutt_poll',
      candidates: [1, 2],
      ballots: [{ choices: [1], count: 1 }],
    })
    assert.equal(dutt.method, 'dutt')
  })

  test('informational top-level keys are ignored', ({ assert }) => {
    const result = count({
      id: 'x',
      description: 'y',
      candidate_names: ['a'],
      expected: { approved: [] },
      method: 'simple',
      candidates: [1],
      ballots: [{ choice: 'yes', count: 1 }],
    })
    assert.deepEqual(result.approved, [1])
  })

  test('settings null and {} mean no settings; missing abstentions is 0', ({ assert }) => {
    for (const settings of [null, {}, undefined]) {
      const result = count({ method: 'majority', settings, candidates: [1, 2], ballots: [] })
      assert.equal(result.abstains, 0)
    }
  })

  test('repeated_schulze winners "" is read as null (sort all)', ({ assert }) => {
    const result = count({
      method: 'repeated_schulze',
      settings: { winners: '' },
      candidates: [1, 2, 3],
      ballots: [
        {
          ranking: [
            [1, 3],
            [2, 2],
            [3, 1],
          ],
          count: 1,
        },
      ],
    })
    assert.equal(result.method, 'repeated_schulze')
    if (result.method !== 'repeated_schulze') return
    assert.deepEqual(result.order, [1, 2, 3])
    assert.deepEqual(result.approved, [])
  })

  test('common output keys are always present', ({ assert }) => {
    const result = count({ method: 'dutt', candidates: ['a'], ballots: [], abstentions: 4 })
    assert.containsSubset(result, {
      method: 'dutt',
      approved: [],
      denied: [],
      vote_count: 0,
      abstains: 4,
      seed: null,
    })
    assert.properties(result, ['ballot_data', 'ballot_checksum_sha512'])
  })

  test('a given seed is reported even when nothing is drawn', ({ assert }) => {
    const result = count({ method: 'simple', candidates: [1], ballots: [], seed: 'abc' })
    assert.equal(result.seed, 'abc')
  })
})

test.group('Counting | poll rules are not applied by count (10 #23)', () => {
  test('{0}')
    .with([
      ['STV with as many seats as candidates', stv({ settings: { winners: 3 } })],
      [
        'repeated_irv with one winner',
        {
          method: 'repeated_irv',
          settings: { winners: 1 },
          candidates: [1, 2, 3],
          ballots: [{ ranking: [1], count: 1 }],
        },
      ],
      [
        'schulze with two candidates and no deny option',
        { method: 'schulze', candidates: [1, 2], ballots: [{ ranking: [[1, 1]], count: 1 }] },
      ],
      [
        'stars above settings.stars (10 #20)',
        {
          method: 'schulze',
          settings: { stars: 3 },
          candidates: [1, 2, 3],
          ballots: [
            {
              ranking: [
                [1, 99],
                [2, 4],
              ],
              count: 1,
            },
          ],
        },
      ],
      [
        'stars setting out of poll range',
        { method: 'schulze', settings: { stars: 50 }, candidates: [1, 2, 3], ballots: [] },
      ],
      [
        'dutt ticks beyond max',
        {
          method: 'dutt',
          settings: { min: 0, max: 1 },
          candidates: [1, 2],
          ballots: [{ choices: [1, 2], count: 1 }],
        },
      ],
      [
        'repeated_irv ranking shorter than min',
        {
          method: 'repeated_irv',
          settings: { winners: 2, min: 3 },
          candidates: [1, 2, 3],
          ballots: [{ ranking: [1], count: 1 }],
        },
      ],
      [
        'majority with three candidates (10 #2)',
        { method: 'majority', candidates: [1, 2, 3], ballots: [{ choice: 1, count: 1 }] },
      ],
      ['scottish_stv with one winner (10 #22)', stv()],
    ] as Array<[string, unknown]>)
    .run(({ assert }, [_why, doc]) => {
      assert.doesNotThrow(() => count(doc))
    })
})

test.group('Counting | normalizeSettings (section 2, poll layer)', () => {
  test('defaults of {0}')
    .with([
      ['dutt', null, { min: 0, max: 0 }],
      ['schulze', {}, { stars: 5, deny_proposal: false }],
      ['repeated_schulze', { winners: '' }, { stars: 5, deny_proposal: false, winners: null }],
      ['scottish_stv', { winners: 2 }, { winners: 2, allow_random: true }],
      ['scottish_stv', { winners: 1 }, { winners: 1, allow_random: true }],
      ['irv', null, { allow_random: true }],
      [
        'repeated_irv',
        { winners: 2, min: 0, max: 0 },
        { winners: 2, allow_random: true, min: null, max: null },
      ],
      ['cpo_stv', { winners: 2, allow_random: false }, { winners: 2, allow_random: false }],
      ['majority', {}, {}],
    ] as const)
    .run(({ assert }, [method, settings, expected]) => {
      assert.deepEqual(normalizeSettings(method, settings) as object, expected)
    })

  test('refuses {0} {1}')
    .with([
      ['schulze', { stars: 2 }, 'settings.stars'],
      ['schulze', { stars: 21 }, 'settings.stars'],
      ['repeated_schulze', { winners: 1 }, 'settings.winners'],
      ['repeated_irv', { winners: 1 }, 'settings.winners'],
      ['repeated_irv', { winners: 2, min: 3, max: 2 }, 'settings.max'],
      ['dutt', { min: 3, max: 2 }, 'settings.max'],
      ['dutt', { min: -1 }, 'settings.min'],
      ['scottish_stv', { winners: 0 }, 'settings.winners'],
      ['scottish_stv', {}, 'settings.winners'],
      ['scottish_stv', { winners: 2, random_order: [1, 2] }, 'settings.random_order'],
      ['schulze', { stars: '5' }, 'settings.stars'],
      ['irv', { allow_random: 'yes' }, 'settings.allow_random'],
      ['simple', { anything: 1 }, 'settings.anything'],
    ] as Array<[any, Record<string, unknown>, string]>)
    .run(({ assert }, [method, settings, path]) => {
      try {
        normalizeSettings(method, settings)
        assert.fail('expected invalid_settings')
      } catch (error) {
        assert.instanceOf(error, CountInputError)
        assert.equal((error as CountInputError).code, 'invalid_settings')
        assert.equal((error as CountInputError).issues[0]?.path, path)
      }
    })
})
