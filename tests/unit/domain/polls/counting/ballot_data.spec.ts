import { test } from '@japa/runner'
import {
  ballotChecksum,
  ballotData,
  count,
  voteString,
  type MethodId,
} from '#domain/polls/counting/index'

test.group('Counting | ballot data (4.3)', () => {
  test('{0}: {2}')
    .with([
      [
        'simple',
        [
          { choice: 'yes', count: 2 },
          { choice: 'no', count: 1 },
        ],
        '{"yes": 2, "no": 1}',
        'c1e8b89c8e44b64a',
      ],
      [
        'scottish_stv',
        [
          { ranking: [3, 1, 2], count: 5 },
          { ranking: [1, 2], count: 2 },
        ],
        '{"3,1,2": 5, "1,2": 2}',
        'aeb8a9b3e43d67f0',
      ],
      [
        'majority',
        [
          { choice: 7, count: 3 },
          { choice: 8, count: 1 },
        ],
        '{"{\\"choice\\": 7}": 3, "{\\"choice\\": 8}": 1}',
        '97222a26b3b1125a',
      ],
      [
        'combined_simple',
        [{ yes: [3, 1], no: [2], count: 2 }],
        '{"{\\"yes\\": [1, 3], \\"no\\": [2], \\"abstain\\": []}": 2}',
        'e2a07c8e23389132',
      ],
      ['irv', [{ ranking: ['Zoë', 'Bob'], count: 1 }], '{"Zo\\u00eb,Bob": 1}', '23942bfee056a02b'],
    ] as Array<[MethodId, Array<Record<string, unknown> & { count: number }>, string, string]>)
    .run(({ assert }, [method, ballots, data, prefix]) => {
      assert.equal(ballotData(method, ballots), data)
      assert.isTrue(ballotChecksum(data).startsWith(prefix))
      assert.match(ballotChecksum(data), /^[0-9a-f]{128}$/)
    })

  test('merges equal vote strings, keeping the first position and adding counts', ({ assert }) => {
    const data = ballotData('simple', [
      { choice: 'yes', count: 1 },
      { choice: 'no', count: 1 },
      { choice: 'yes', count: 1 },
    ])
    assert.equal(data, '{"yes": 2, "no": 1}')
  })

  test('a payload listed in another order merges (combined_simple lists are sorted)', ({
    assert,
  }) => {
    const data = ballotData('combined_simple', [
      { yes: [2, 1], count: 1 },
      { yes: [1, 2], no: [], abstain: [], count: 3 },
    ])
    assert.equal(data, '{"{\\"yes\\": [1, 2], \\"no\\": [], \\"abstain\\": []}": 4}')
  })

  test('empty counter is {}', ({ assert }) => {
    assert.equal(ballotData('irv', []), '{}')
    assert.equal(count({ method: 'irv', candidates: [1], ballots: [] }).ballot_data, '{}')
  })

  test('Python escaping: quotes, backslash, control characters, non-ASCII, astral', ({
    assert,
  }) => {
    const data = ballotData('irv', [{ ranking: ['a"b\\c\n\r\t\b\f\u0001\u007fé😀'], count: 1 }])
    assert.equal(data, '{"a\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u007f\\u00e9\\ud83d\\ude00": 1}')
  })

  test('count reports the same ballot data and checksum', ({ assert }) => {
    const result = count({
      method: 'scottish_stv',
      settings: { winners: 1 },
      candidates: [1, 2, 3],
      ballots: [
        { ranking: [3, 1, 2], count: 5 },
        { ranking: [1, 2], count: 2 },
      ],
    })
    assert.equal(result.ballot_data, '{"3,1,2": 5, "1,2": 2}')
    assert.equal(result.ballot_checksum_sha512, ballotChecksum('{"3,1,2": 5, "1,2": 2}'))
  })
})

test.group('Counting | vote strings (3.2)', () => {
  test('{0}')
    .with([
      ['simple', { choice: 'yes' }, 'yes'],
      ['combined_simple', { yes: [3, 1], no: [2] }, '{"yes": [1, 3], "no": [2], "abstain": []}'],
      ['majority', { choice: 7 }, '{"choice": 7}'],
      ['dutt', { choices: [3, 1, 2] }, '[1, 2, 3]'],
      [
        'schulze',
        {
          ranking: [
            [20, 3],
            [0, 1],
            [10, 5],
          ],
        },
        '[[0, 1], [10, 5], [20, 3]]',
      ],
      [
        'repeated_schulze',
        {
          ranking: [
            ['b', 1],
            ['a', 2],
          ],
        },
        '[["a", 2], ["b", 1]]',
      ],
      ['irv', { ranking: [3, 1, 2] }, '3,1,2'],
      ['scottish_stv', { ranking: [] }, ''],
      ['majority', { choice: 'Zoë' }, '{"choice": "Zo\\u00eb"}'],
    ] as Array<[MethodId, object, string]>)
    .run(({ assert }, [method, payload, expected]) => {
      assert.equal(voteString(method, payload), expected)
    })

  test('integers sort numerically, strings by code point', ({ assert }) => {
    assert.equal(voteString('dutt', { choices: [10, 9, 100] }), '[9, 10, 100]')
    // U+1F600 sorts after U+FF5E by code point (UTF-16 code units would put it first).
    assert.equal(
      voteString('dutt', { choices: ['😀', '～', 'a'] }),
      '["a", "\\uff5e", "\\ud83d\\ude00"]'
    )
  })
})
