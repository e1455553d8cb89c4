import { test } from '@japa/runner'
import {
  describeBallot,
  type BallotCurrentInput,
  type BallotInput,
} from '#domain/polls/ballot_description'
import {
  METHOD_IDS,
  normalizeSettings,
  pollMethods,
  validateVote,
  type MethodId,
} from '#domain/polls/counting/index'

const longText =
  'The board shall publish the minutes of every meeting within two weeks, including the full text of every motion, every amendment and the result of each vote, on the public website of the association. '.repeat(
    3
  )

function optionsOf(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: 10 + i,
    prop_id: `p-${i + 1}`,
    label: i === 0 ? longText : `Option ${String.fromCharCode(67 - i)} full text`,
    title: `Option ${i + 1}`,
  }))
}

function ballot(
  method: MethodId,
  settings: unknown,
  extra: Partial<BallotInput> & { n?: number } = {}
) {
  const { n = 4, ...rest } = extra
  return describeBallot({
    poll: { id: 7, title: 'Poll', description: '', state: 'ongoing', secret: true },
    method,
    methodTitle: pollMethods[method].title,
    settings: normalizeSettings(method, settings),
    order: 'c',
    seed: '7:1',
    options: optionsOf(n),
    current: null,
    canVote: true,
    ...rest,
  })
}

const current = (vote: Record<string, unknown> | null): BallotCurrentInput => ({
  id: 99,
  rev: 2,
  abstain: vote === null,
  vote,
})
const keys = (list: Array<{ key: string }>) => list.map((m) => m.key)

test.group('Ballot description (B-NEW-05)', () => {
  test('every library method has instructions, constraints, options with full labels', ({
    assert,
  }) => {
    const settingsFor: Record<MethodId, unknown> = {
      simple: null,
      combined_simple: null,
      majority: null,
      dutt: { min: 1, max: 2 },
      schulze: null,
      repeated_schulze: { winners: 2 },
      scottish_stv: { winners: 2 },
      irv: null,
      repeated_irv: { winners: 2, min: 2, max: 3 },
      cpo_stv: { winners: 2 },
    }
    for (const method of METHOD_IDS) {
      const n = method === 'simple' ? 1 : method === 'majority' ? 2 : 4
      const result = ballot(method, settingsFor[method], { n })
      assert.equal(result.method_name, method)
      assert.equal(result.method_title, pollMethods[method].title)
      assert.match(result.instructions.key, /^ballot\.instructions\./)
      assert.isAbove(result.instructions.text.length, 10)
      assert.isAtLeast(result.constraints.length, 3, method)
      for (const c of result.constraints) {
        assert.match(c.key, /^ballot\.constraint\./)
        assert.match(c.text, /\.$/)
      }
      assert.includeMembers(keys(result.constraints), [
        'ballot.constraint.abstain',
        'ballot.constraint.change_vote',
      ])
      assert.lengthOf(result.options, n)
      // The full label, not an excerpt.
      assert.equal(result.options[0].label, longText)
      assert.equal(result.options[0].prop_id, 'p-1')
      assert.deepEqual(
        result.options.map((o) => o.position),
        Array.from({ length: n }, (_, i) => i + 1)
      )
      assert.isNull(result.current)
      assert.isTrue(result.can_vote)
      assert.isTrue(result.can_abstain)
    }
  })

  test('simple: yes/no control; the current choice marks the proposal', ({ assert }) => {
    const result = ballot('simple', null, { n: 1, current: current({ choice: 'no' }) })
    assert.equal(result.control, 'yes_no')
    assert.deepEqual(result.values, ['yes', 'no'])
    assert.deepEqual(keys(result.constraints).slice(0, 1), ['ballot.constraint.yes_or_no'])
    assert.equal(result.options[0].choice, 'no')
    assert.deepEqual(result.current, { id: 99, rev: 2, abstain: false, vote: { choice: 'no' } })
    assert.isNull(ballot('simple', null, { n: 1 }).options[0].choice)
  })

  test('combined_simple: one answer each; unmentioned proposals count as abstain', ({ assert }) => {
    const result = ballot('combined_simple', null, {
      n: 3,
      current: current({ yes: [10], no: [11], abstain: [] }),
    })
    assert.equal(result.control, 'yes_no_abstain')
    assert.deepEqual(result.values, ['yes', 'no', 'abstain'])
    assert.equal(
      result.constraints[0].text,
      'Give one answer for each of the 3 proposals; a proposal left without an answer counts as abstain.'
    )
    assert.deepEqual(
      result.options.map((o) => [o.id, o.choice]),
      [
        [10, 'yes'],
        [11, 'no'],
        [12, 'abstain'],
      ]
    )
  })

  test('majority: radio, choose exactly one; the chosen option is selected', ({ assert }) => {
    const result = ballot('majority', null, { n: 2, current: current({ choice: 11 }) })
    assert.equal(result.control, 'radio')
    assert.deepEqual(result.constraints[0], {
      key: 'ballot.constraint.choose_one',
      params: { options: 2 },
      text: 'Choose exactly one of the 2 options.',
    })
    assert.deepEqual(
      result.options.map((o) => o.selected),
      [false, true]
    )
  })

  test('dutt: the count constraint follows min/max in words', ({ assert }) => {
    const cases: Array<[unknown, string, string]> = [
      [{ min: 1, max: 3 }, 'choose_between', 'Choose between 1 and 3 options.'],
      [{ min: 2, max: 2 }, 'choose_exactly', 'Choose exactly 2 options.'],
      [{ min: 0, max: 0 }, 'choose_any', 'Choose any number of the 4 options, or none.'],
      [{ min: 0, max: 1 }, 'choose_at_most', 'Choose at most 1 option.'],
      [{ min: 2, max: 0 }, 'choose_at_least', 'Choose at least 2 options.'],
      // max above the number of options is no limit at all.
      [{ min: 1, max: 9 }, 'choose_at_least', 'Choose at least 1 option.'],
    ]
    for (const [settings, key, text] of cases) {
      const result = ballot('dutt', settings)
      assert.equal(result.control, 'checkbox')
      assert.equal(result.constraints[0].key, `ballot.constraint.${key}`)
      assert.equal(result.constraints[0].text, text)
      // The words agree with what validateVote accepts.
      const { min, max } = result.constraints[0].params as { min: number; max: number }
      const s = normalizeSettings('dutt', settings)
      const ids = [10, 11, 12, 13]
      assert.deepEqual(validateVote('dutt', s, ids, { choices: ids.slice(0, min) }), [])
      assert.deepEqual(validateVote('dutt', s, ids, { choices: ids.slice(0, max) }), [])
      if (min > 0)
        assert.isNotEmpty(validateVote('dutt', s, ids, { choices: ids.slice(0, min - 1) }))
      if (max < 4)
        assert.isNotEmpty(validateVote('dutt', s, ids, { choices: ids.slice(0, max + 1) }))
    }
  })

  test('dutt: an approval set marks its options, an abstention marks none', ({ assert }) => {
    const voted = ballot('dutt', { min: 1, max: 3 }, { current: current({ choices: [10, 13] }) })
    assert.deepEqual(
      voted.options.map((o) => [o.id, o.selected]),
      [
        [10, true],
        [11, false],
        [12, false],
        [13, true],
      ]
    )
    const abstained = ballot('dutt', { min: 1, max: 3 }, { current: current(null) })
    assert.deepEqual(abstained.current, { id: 99, rev: 2, abstain: true, vote: null })
    assert.isTrue(abstained.options.every((o) => o.selected === false))
  })

  test('schulze: star range from the settings, deny option, stars per option', ({ assert }) => {
    const result = ballot(
      'schulze',
      { stars: 3, deny_proposal: true },
      {
        current: current({
          ranking: [
            [10, 3],
            [0, 1],
            [12, 2],
          ],
        }),
      }
    )
    assert.equal(result.control, 'stars')
    assert.deepEqual(result.values, [0, 1, 2, 3])
    assert.include(result.instructions.text, 'from 0 to 3 stars')
    assert.deepEqual(result.constraints[0].params, { min: 0, max: 3, options: 4 })
    assert.include(keys(result.constraints), 'ballot.constraint.deny_option')
    assert.lengthOf(result.options, 5)
    const deny = result.options[4]
    assert.equal(deny.id, 0)
    assert.equal(deny.virtual?.key, 'ballot.option.deny_all')
    assert.deepEqual(
      result.options.map((o) => [o.id, o.stars]),
      [
        [10, 3],
        [11, 0],
        [12, 2],
        [13, 0],
        [0, 1],
      ]
    )
    assert.deepEqual(result.outcome?.params, { winners: 1 })
    const plain = ballot('schulze', null)
    assert.notInclude(keys(plain.constraints), 'ballot.constraint.deny_option')
    assert.lengthOf(plain.options, 4)
    assert.isTrue(plain.options.every((o) => o.stars === null))
  })

  test('repeated_schulze: the outcome says how many are approved, or that all are sorted', ({
    assert,
  }) => {
    assert.equal(
      ballot('repeated_schulze', { winners: 2 }).outcome?.text,
      '2 proposals will be approved.'
    )
    assert.equal(ballot('repeated_schulze', null).outcome?.key, 'ballot.outcome.order')
  })

  test('ranking methods: rank rules in words, ranks from the current ranking', ({ assert }) => {
    for (const method of ['scottish_stv', 'irv', 'cpo_stv'] as const) {
      const result = ballot(method, method === 'irv' ? null : { winners: 2 }, {
        n: 5,
        current: current({ ranking: [12, 10] }),
      })
      assert.equal(result.control, 'rank')
      assert.equal(
        result.constraints[0].text,
        'Rank at least 1 and at most 5 candidates; each rank once.'
      )
      assert.equal(result.constraints[1].key, 'ballot.constraint.rank_order')
      assert.deepEqual(
        result.options.map((o) => [o.id, o.rank]),
        [
          [10, 2],
          [11, null],
          [12, 1],
          [13, null],
          [14, null],
        ]
      )
    }
  })

  test('repeated_irv: min/max from the settings, agreeing with validateVote', ({ assert }) => {
    const cases: Array<[unknown, string]> = [
      [{ winners: 2, min: 2, max: 3 }, 'Rank at least 2 and at most 3 candidates; each rank once.'],
      [{ winners: 2, min: 3, max: 3 }, 'Rank exactly 3 candidates; each rank once.'],
      [{ winners: 2 }, 'Rank at least 1 and at most 4 candidates; each rank once.'],
      [{ winners: 2, max: 10 }, 'Rank at least 1 and at most 4 candidates; each rank once.'],
    ]
    const ids = [10, 11, 12, 13]
    for (const [settings, text] of cases) {
      const result = ballot('repeated_irv', settings)
      assert.equal(result.constraints[0].text, text)
      const { min, max } = result.constraints[0].params as { min: number; max: number }
      const s = normalizeSettings('repeated_irv', settings)
      assert.deepEqual(validateVote('repeated_irv', s, ids, { ranking: ids.slice(0, min) }), [])
      assert.deepEqual(validateVote('repeated_irv', s, ids, { ranking: ids.slice(0, max) }), [])
      assert.isNotEmpty(validateVote('repeated_irv', s, ids, { ranking: ids.slice(0, min - 1) }))
      if (max < 4)
        assert.isNotEmpty(validateVote('repeated_irv', s, ids, { ranking: ids.slice(0, max + 1) }))
    }
  })

  test('an abstention on a ranking ballot: current says abstain, no option ranked', ({
    assert,
  }) => {
    const result = ballot('irv', null, { current: current(null) })
    assert.isTrue(result.current?.abstain)
    assert.isNull(result.current?.vote)
    assert.isTrue(result.options.every((o) => o.rank === null))
  })

  test('display order: chronological, alphabetical, random stable per seed', ({ assert }) => {
    const ids = (order: 'c' | 'a' | 'r', seed = '7:1') =>
      ballot('dutt', null, { order, seed, n: 4 }).options.map((o) => o.id)
    assert.deepEqual(ids('c'), [10, 11, 12, 13])
    // Labels: long text "The board…", "Option B…", "Option A…", "Option @…" ('@' sorts first).
    assert.deepEqual(ids('a'), [13, 12, 11, 10])
    assert.deepEqual(ids('r'), ids('r'))
    assert.sameMembers(ids('r'), [10, 11, 12, 13])
    const orders = new Set(['1', '2', '3', '4', '5', '6', '7', '8'].map((s) => ids('r', s).join()))
    assert.isAbove(orders.size, 1)
    assert.deepEqual(
      ballot('dutt', null, { order: 'r' }).options.map((o) => o.position),
      [1, 2, 3, 4]
    )
  })

  test('can_vote false: no abstaining either', ({ assert }) => {
    const result = ballot('majority', null, { n: 2, canVote: false })
    assert.isFalse(result.can_vote)
    assert.isFalse(result.can_abstain)
  })
})
