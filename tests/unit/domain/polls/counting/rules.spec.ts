import { test } from '@japa/runner'
import {
  normalizeSettings,
  pollMethods,
  startCheck,
  validateVote,
  type MethodId,
} from '#domain/polls/counting/index'

test.group('Counting | startCheck (section 1)', () => {
  test('{0} {1} with {2} proposals → {3}')
    .with([
      ['simple', null, 1, true],
      ['simple', null, 2, false],
      ['combined_simple', null, 1, true],
      ['combined_simple', null, 0, false],
      ['majority', null, 2, true],
      ['majority', null, 3, false], // 10 #2: exactly 2 at start
      ['majority', null, 1, false],
      ['dutt', null, 2, true],
      ['dutt', null, 1, false],
      ['dutt', { min: 3 }, 2, false],
      ['dutt', { min: 3 }, 3, true],
      ['schulze', null, 3, true],
      ['schulze', null, 2, false],
      ['schulze', { deny_proposal: true }, 2, true],
      ['repeated_schulze', { winners: 3 }, 3, false],
      ['repeated_schulze', { winners: 3 }, 4, true],
      ['repeated_schulze', { winners: 3, deny_proposal: true }, 3, true],
      ['repeated_schulze', { winners: null }, 3, true],
      ['scottish_stv', { winners: 2 }, 2, false],
      ['scottish_stv', { winners: 2 }, 3, true],
      ['scottish_stv', { winners: 1 }, 2, true],
      ['irv', null, 3, true],
      ['irv', null, 2, false],
      ['repeated_irv', { winners: 2 }, 3, true],
      ['repeated_irv', { winners: 2, min: 4 }, 3, false],
      ['repeated_irv', { winners: 2, min: 4 }, 4, true],
      ['cpo_stv', { winners: 2 }, 2, false],
      ['cpo_stv', { winners: 2 }, 3, true],
    ] as Array<[MethodId, Record<string, unknown> | null, number, boolean]>)
    .run(({ assert }, [method, settings, n, ok]) => {
      const problems = startCheck(method, normalizeSettings(method, settings), n)
      assert.equal(problems.length === 0, ok, problems.join('; '))
      assert.deepEqual(
        pollMethods[method].startCheck(normalizeSettings(method, settings), n),
        problems
      )
    })

  test('scottish_stv names the problem as VoteIT does', ({ assert }) => {
    assert.deepEqual(
      startCheck('scottish_stv', normalizeSettings('scottish_stv', { winners: 3 }), 3),
      ["can't have as many winners as proposals"]
    )
  })
})

test.group('Counting | validateVote (3.1)', () => {
  test('{0} {2} → {3}')
    .with([
      ['simple', null, { choice: 'yes' }, []],
      ['simple', null, { choice: 'maybe' }, ['choice: must be "yes" or "no", got "maybe"']],
      ['combined_simple', null, { yes: [1], no: [2] }, []],
      ['combined_simple', null, { yes: [1], no: [1] }, ['no[0]: duplicate candidate 1']],
      ['majority', null, { choice: 2 }, []],
      ['majority', null, { choice: 9 }, ['choice: unknown candidate 9']],
      ['dutt', { min: 2, max: 0 }, { choices: [1] }, ['Too few proposals picked']],
      ['dutt', { min: 0, max: 1 }, { choices: [1, 2] }, ['Too many proposals picked']],
      ['dutt', { min: 0, max: 0 }, { choices: [1, 2, 3] }, []],
      [
        'schulze',
        null,
        {
          ranking: [
            [1, 5],
            [2, 0],
            [3, 1],
          ],
        },
        [],
      ],
      ['schulze', null, { ranking: [[1, 50]] }, []], // 10 #20: stars are not compared with settings.stars
      ['schulze', null, { ranking: [[0, 1]] }, ['ranking[0]: unknown candidate 0']],
      ['schulze', { deny_proposal: true }, { ranking: [[0, 1]] }, []],
      [
        'schulze',
        null,
        { ranking: [[1, -1]] },
        ['ranking[0][1]: stars must be a non-negative integer, got -1'],
      ],
      ['irv', null, { ranking: [3, 1] }, []],
      ['irv', null, { ranking: [] }, ['Select at least one proposal']],
      ['irv', null, { ranking: [1, 1] }, ['ranking[1]: duplicate candidate 1']],
      ['repeated_irv', { winners: 2, min: 2 }, { ranking: [1] }, ['Too few selected']],
      ['repeated_irv', { winners: 2, max: 1 }, { ranking: [1, 2] }, ['Too many selected']],
      ['scottish_stv', { winners: 2 }, 'x', ['The vote must be an object']],
    ] as Array<[MethodId, Record<string, unknown> | null, unknown, string[]]>)
    .run(({ assert }, [method, settings, payload, problems]) => {
      assert.deepEqual(
        validateVote(method, normalizeSettings(method, settings), [1, 2, 3], payload),
        problems
      )
    })
})

test.group('Counting | registry', () => {
  test('every method id has an entry keyed by its id', ({ assert }) => {
    for (const [id, info] of Object.entries(pollMethods)) assert.equal(info.id, id)
    assert.sameMembers(Object.keys(pollMethods), [
      'simple',
      'combined_simple',
      'majority',
      'dutt',
      'schulze',
      'repeated_schulze',
      'scottish_stv',
      'irv',
      'repeated_irv',
      'cpo_stv',
    ])
  })

  test('each entry counts, normalizes and validates for its own method', ({ assert }) => {
    const result = pollMethods.majority.count({
      candidates: [1, 2],
      ballots: [{ choice: 2, count: 3 }],
    })
    assert.equal(result.method, 'majority')
    assert.deepEqual(result.approved, [2])
    const settings = pollMethods.repeated_irv.normalizeSettings({ winners: 2, max: 0 })
    assert.deepEqual(settings, { winners: 2, allow_random: true, min: null, max: null })
    assert.deepEqual(
      pollMethods.dutt.validateVote({ min: 0, max: 1 }, [1, 2], { choices: [1, 2] }),
      ['Too many proposals picked']
    )
    assert.deepEqual(pollMethods.schulze.defaults, { stars: 5, deny_proposal: false })
  })

  test('offered and discouraged flags follow section 1', ({ assert }) => {
    assert.isFalse(pollMethods.simple.offered)
    assert.isFalse(pollMethods.cpo_stv.offered)
    assert.isTrue(pollMethods.dutt.discouraged)
    assert.isTrue(pollMethods.repeated_irv.discouraged)
    assert.equal(pollMethods.repeated_irv.component, 'repeated_irv')
  })
})
