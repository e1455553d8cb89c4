import { test } from '@japa/runner'
import { applyThresholds, passesMajority, quorumMet } from '#domain/polls/thresholds'
import { count } from '#domain/polls/counting/index'

const register = { voters: 100, totalWeight: 120 }

test.group('Polls | quorum (B-ADD-04, api.md §11.1)', () => {
  test(
    '{rule.type} {rule.value} weighted={rule.weighted} with {turnout.voters} voters / {turnout.weight} weight → {met}'
  )
    .with([
      {
        rule: { type: 'count', value: 50, weighted: false },
        turnout: { voters: 50, weight: 10 },
        met: true,
      },
      {
        rule: { type: 'count', value: 50, weighted: false },
        turnout: { voters: 49, weight: 99 },
        met: false,
      },
      {
        rule: { type: 'count', value: 50, weighted: true },
        turnout: { voters: 1, weight: 50 },
        met: true,
      },
      {
        rule: { type: 'percent_of_register', value: 50, weighted: false },
        turnout: { voters: 50, weight: 0 },
        met: true,
      },
      {
        rule: { type: 'percent_of_register', value: 50, weighted: false },
        turnout: { voters: 49, weight: 120 },
        met: false,
      },
      {
        rule: { type: 'percent_of_register', value: 50, weighted: true },
        turnout: { voters: 100, weight: 59 },
        met: false,
      },
      {
        rule: { type: 'percent_of_register', value: 50, weighted: true },
        turnout: { voters: 1, weight: 60 },
        met: true,
      },
    ] as const)
    .run(({ assert }, row) => {
      assert.equal(quorumMet({ ...row.rule }, register, row.turnout), row.met)
    })

  test('no rule → null', ({ assert }) => {
    assert.isNull(quorumMet(null, register, { voters: 0, weight: 0 }))
  })
})

test.group('Polls | majority rules', () => {
  test('{type} (abstentions count: {abst}) with {yes}/{no}/{abstain} → {passes}')
    .with([
      { type: 'simple', abst: false, yes: 51, no: 50, abstain: 30, passes: true },
      { type: 'simple', abst: false, yes: 50, no: 50, abstain: 0, passes: false },
      { type: 'simple', abst: true, yes: 51, no: 50, abstain: 30, passes: false },
      { type: 'two_thirds', abst: false, yes: 66, no: 34, abstain: 0, passes: false },
      { type: 'two_thirds', abst: false, yes: 2, no: 1, abstain: 0, passes: true },
      { type: 'three_quarters', abst: false, yes: 3, no: 1, abstain: 0, passes: true },
      { type: 'three_quarters', abst: true, yes: 3, no: 1, abstain: 1, passes: false },
      { type: 'absolute_of_register', abst: false, yes: 60, no: 0, abstain: 0, passes: false },
      { type: 'absolute_of_register', abst: false, yes: 61, no: 59, abstain: 0, passes: true },
      { type: 'simple', abst: false, yes: 0, no: 0, abstain: 5, passes: false },
    ] as const)
    .run(({ assert }, row) => {
      assert.equal(
        passesMajority(
          { type: row.type, abstentions_count: row.abst },
          { yes: row.yes, no: row.no, abstain: row.abstain },
          register
        ),
        row.passes
      )
    })
})

test.group('Polls | applying thresholds to counted results', () => {
  const simple = (yes: number, no: number) =>
    count({
      method: 'simple',
      candidates: [7],
      ballots: [
        { choice: 'yes', count: yes },
        { choice: 'no', count: no },
      ],
    })

  test('a failed quorum voids the outcome: nothing approved or denied, no_result', ({ assert }) => {
    const outcome = applyThresholds({
      result: simple(10, 2),
      abstains: 0,
      quorum: { type: 'count', value: 20, weighted: false },
      majority: null,
      register,
      turnout: { voters: 12, weight: 12 },
    })
    assert.deepEqual(outcome, {
      quorum_met: false,
      majority_met: null,
      approved: [],
      denied: [],
      outcome: 'no_result',
      reason: 'quorum_not_met',
    })
  })

  test('a candidate approved by the count but below the majority rule is denied', ({ assert }) => {
    const outcome = applyThresholds({
      result: simple(6, 4),
      abstains: 0,
      quorum: { type: 'count', value: 5, weighted: false },
      majority: { type: 'two_thirds', abstentions_count: false },
      register,
      turnout: { voters: 10, weight: 10 },
    })
    assert.equal(outcome.quorum_met, true)
    assert.equal(outcome.majority_met, false)
    assert.deepEqual(outcome.approved, [])
    assert.deepEqual(outcome.denied, [7])
  })

  test('combined_simple checks every approved proposal; poll abstentions count when asked', ({
    assert,
  }) => {
    const result = count({
      method: 'combined_simple',
      candidates: [1, 2],
      ballots: [
        { yes: [1, 2], count: 3 },
        { yes: [1], no: [2], count: 2 },
      ],
      abstentions: 4,
    })
    assert.deepEqual(result.approved, [1, 2])
    const lenient = applyThresholds({
      result,
      abstains: 4,
      quorum: null,
      majority: { type: 'simple', abstentions_count: false },
      register,
      turnout: { voters: 9, weight: 9 },
    })
    assert.deepEqual(lenient.approved, [1, 2])
    assert.equal(lenient.majority_met, true)
    // proposal 2: 3 yes, 2 no, 4 abstentions → 3 of 9 is not a majority
    const strict = applyThresholds({
      result,
      abstains: 4,
      quorum: null,
      majority: { type: 'simple', abstentions_count: true },
      register,
      turnout: { voters: 9, weight: 9 },
    })
    assert.deepEqual(strict.approved, [1])
    assert.includeMembers(strict.denied, [2])
  })

  test('majority rules do not apply to ranked methods', ({ assert }) => {
    const result = count({
      method: 'irv',
      candidates: [1, 2, 3],
      ballots: [
        { ranking: [1, 2], count: 3 },
        { ranking: [2], count: 1 },
      ],
      seed: 's',
    })
    const outcome = applyThresholds({
      result,
      abstains: 0,
      quorum: null,
      majority: { type: 'three_quarters', abstentions_count: true },
      register,
      turnout: { voters: 4, weight: 4 },
    })
    assert.isNull(outcome.majority_met)
    assert.deepEqual(outcome.approved, result.approved)
  })
})
