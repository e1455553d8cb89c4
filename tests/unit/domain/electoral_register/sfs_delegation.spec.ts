import { test } from '@japa/runner'
import {
  sfsAllocation,
  sfsViolation,
  type SfsFacts,
} from '#domain/electoral_register/sfs_delegation'

const facts = (overrides: Partial<SfsFacts> = {}): SfsFacts => ({
  erPolicyName: 'gv_auto_before_p',
  groupVotes: 5,
  members: new Map([
    [1, { pv: true }],
    [2, { pv: true }],
    [3, { pv: false }],
  ]),
  ...overrides,
})

test.group('SFS delegation weights (domain §11.6)', () => {
  test('weights that sum to the group votes over pv members are accepted', ({ assert }) => {
    assert.isNull(
      sfsViolation(
        [
          { user: 1, weight: 2 },
          { user: 2, weight: 3 },
        ],
        facts()
      )
    )
    assert.isNull(sfsViolation([{ user: 2, weight: 5 }], facts()))
  })

  test('meeting and group rules come before the entries', ({ assert }) => {
    const weights = [{ user: 9, weight: 0 }]
    assert.equal(
      sfsViolation(weights, facts({ erPolicyName: 'auto_before_poll' }))?.code,
      'sfs.policy_mismatch'
    )
    assert.equal(
      sfsViolation(weights, facts({ groupVotes: null }))?.code,
      'sfs.group_without_votes'
    )
    assert.equal(sfsViolation(weights, facts({ groupVotes: 0 }))?.code, 'sfs.group_without_votes')
  })

  test('each bad entry is named by its index', ({ assert }) => {
    const cases: Array<[Array<{ user: number; weight: number }>, string, string]> = [
      [[{ user: 1, weight: 0 }], 'weights.0.weight', 'min'],
      [[{ user: 1, weight: 1.5 }], 'weights.0.weight', 'min'],
      [
        [
          { user: 1, weight: 1 },
          { user: 1, weight: 4 },
        ],
        'weights.1.user',
        'distinct',
      ],
      [
        [
          { user: 1, weight: 1 },
          { user: 7, weight: 4 },
        ],
        'weights.1.user',
        'member',
      ],
      [[{ user: 3, weight: 5 }], 'weights.0.user', 'pv'],
      [[{ user: 1, weight: 4 }], 'weights', 'sum'],
      [
        [
          { user: 1, weight: 4 },
          { user: 2, weight: 2 },
        ],
        'weights',
        'sum',
      ],
    ]
    for (const [weights, field, rule] of cases) {
      const violation = sfsViolation(weights, facts())
      assert.deepInclude(
        violation,
        { code: 'validation.failed', field, rule },
        JSON.stringify(weights)
      )
    }
  })

  test('the allocation gives listed members their weight and null to the others', ({ assert }) => {
    assert.deepEqual(
      [...sfsAllocation([{ user: 2, weight: 5 }], [1, 2, 3]).entries()],
      [
        [1, null],
        [2, 5],
        [3, null],
      ]
    )
  })
})
