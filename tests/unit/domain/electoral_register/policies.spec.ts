import { test } from '@japa/runner'
import {
  computeRegister,
  manualVoters,
  newRegisterNeeded,
  policyFor,
  totalWeight,
} from '#domain/electoral_register/register'
import { erPolicies } from '#domain/electoral_register/policies'
import { checkTransfer, invalidTransfers } from '#domain/electoral_register/transfers'
import {
  RegisterError,
  type GroupFacts,
  type MemberFacts,
  type RegisterFacts,
} from '#domain/electoral_register/types'
import type { MeetingRoleCode } from '#domain/permissions/roles'

const member = (
  userId: number,
  roles: MeetingRoleCode[] = ['pa', 'pv'],
  activeSince: number | null = null
): MemberFacts => ({
  userId,
  roles,
  activeSince,
})

let membershipId = 0
const group = (
  id: number,
  votes: number | null,
  memberships: Array<[userId: number, role?: string | null, votes?: number | null]>,
  extra: Partial<GroupFacts> = {}
): GroupFacts => ({
  id,
  groupid: extra.groupid ?? `g${id}`,
  votes,
  delegateTo: extra.delegateTo ?? null,
  tags: extra.tags ?? [],
  memberships: memberships.map(([userId, role = null, allocated = null]) => ({
    id: ++membershipId,
    userId,
    role,
    votes: allocated,
  })),
})

const facts = (overrides: Partial<RegisterFacts>): RegisterFacts => ({
  meetingId: 1,
  groupVotesActive: false,
  activeUsersEnabled: false,
  members: [],
  groups: [],
  transfers: [],
  ...overrides,
})

const asObject = (voters: Map<number, number>) => Object.fromEntries(voters)

test.group(
  'Electoral register | one vote per potential voter (auto_before_poll, manual_trigger, auto_always)',
  () => {
    test('{policy}: pv holders get weight 1, others nothing')
      .with([
        { policy: 'auto_before_poll' },
        { policy: 'manual_trigger' },
        { policy: 'auto_always' },
      ])
      .run(({ assert }, { policy }) => {
        const { voters } = computeRegister(
          policy,
          facts({ members: [member(3), member(1), member(2, ['pa'])] })
        )
        assert.deepEqual(asObject(voters), { 1: 1, 3: 1 })
      })

    test('active check: with the component on only active pv holders vote', ({ assert }) => {
      const input = facts({
        activeUsersEnabled: true,
        members: [member(1, ['pa', 'pv'], 100), member(2)],
      })
      assert.deepEqual(asObject(computeRegister('auto_before_poll', input).voters), { 1: 1 })
      // auto_always does not honour the active check
      assert.deepEqual(asObject(computeRegister('auto_always', input).voters), { 1: 1, 2: 1 })
    })

    test('group_votes_active must match the meeting flag', ({ assert }) => {
      assert.throws(
        () => computeRegister('auto_before_poll', facts({ groupVotesActive: true })),
        /cannot be used while group votes/
      )
      assert.throws(
        () => computeRegister('gv_auto_before_p', facts({ groupVotesActive: false })),
        /needs group votes/
      )
    })

    test('unknown, missing and historic policies are refused with meeting.invalid_er_policy', ({
      assert,
    }) => {
      for (const name of ['nope', '', null, 'presence_check']) {
        try {
          policyFor(name)
          assert.fail(`accepted ${name}`)
        } catch (error) {
          assert.instanceOf(error, RegisterError)
          assert.equal((error as RegisterError).code, 'meeting.invalid_er_policy')
        }
      }
    })

    test('flags of the catalogue follow domain §11.4', ({ assert }) => {
      assert.isTrue(erPolicies.manual.flags.allowManual && erPolicies.manual.flags.requireManual)
      assert.isTrue(erPolicies.manual_trigger.flags.requireManual)
      assert.isTrue(erPolicies.auto_always.flags.allowPollErChange)
      assert.isFalse(erPolicies.gv_auto_before_p.flags.available)
      assert.equal(erPolicies.main_subst_delegate.flags.voteTransferPolicy, 'main_and_subst')
      assert.equal(erPolicies.unrestricted.flags.voteTransferPolicy, 'unrestricted')
    })
  }
)

test.group('Electoral register | group votes', () => {
  test('gv_auto_before_p sums allocations over groups for pv holders', ({ assert }) => {
    const input = facts({
      groupVotesActive: true,
      members: [member(1), member(2), member(3, ['pa'])],
      groups: [
        group(1, 5, [
          [1, null, 3],
          [2, null, 2],
        ]),
        group(2, 4, [
          [1, null, 1],
          [3, null, 3],
        ]),
        group(3, 0, [[2, null, 9]]),
      ],
    })
    assert.deepEqual(asObject(computeRegister('gv_auto_before_p', input).voters), { 1: 4, 2: 2 })
  })

  test('gv_auto_before_p refuses over-allocated groups, naming the group', ({ assert }) => {
    const input = facts({
      groupVotesActive: true,
      members: [member(1), member(2)],
      groups: [
        group(
          1,
          3,
          [
            [1, null, 2],
            [2, null, 2],
          ],
          { groupid: 'north' }
        ),
      ],
    })
    assert.throws(
      () => computeRegister('gv_auto_before_p', input),
      /Group "north" has 4 votes allocated/
    )
  })

  test('group_auto_eq_rnd_bf splits evenly; the remainder order is stable per meeting', ({
    assert,
  }) => {
    const input = facts({
      groupVotesActive: true,
      members: [member(1), member(2), member(3), member(4, ['pa'])],
      groups: [group(1, 8, [[1], [2], [3], [4]])],
    })
    const first = computeRegister('group_auto_eq_rnd_bf', input).voters
    assert.equal(totalWeight(first), 8)
    assert.sameMembers([...first.values()].sort(), [2, 3, 3])
    assert.notProperty(asObject(first), '4')
    assert.deepEqual(
      asObject(computeRegister('group_auto_eq_rnd_bf', input).voters),
      asObject(first)
    )
  })

  test('group_auto_eq_rnd_bf: delegation adds votes to the final target; empty groups give nothing', ({
    assert,
  }) => {
    const input = facts({
      groupVotesActive: true,
      members: [member(1), member(2)],
      groups: [
        group(1, 3, [[1]]),
        group(2, 2, [], { delegateTo: 3 }),
        group(3, 1, [[2]], { delegateTo: null }),
        group(4, 6, []),
      ],
    })
    assert.deepEqual(asObject(computeRegister('group_auto_eq_rnd_bf', input).voters), {
      1: 3,
      2: 3,
    })
  })

  test('main_subst_active: mains first, then substitutes by activation, each user once', ({
    assert,
  }) => {
    const input = facts({
      activeUsersEnabled: true,
      members: [
        member(1, ['pa', 'pv'], 50),
        member(2, ['pa', 'pv'], 10),
        member(3, ['pa', 'pv'], 20),
        member(4, ['pa', 'pv'], null),
        member(5, ['pa', 'pv'], 5),
      ],
      groups: [
        group(1, 3, [
          [1, 'main'],
          [4, 'main'],
          [3, 'substitute'],
          [2, 'substitute'],
        ]),
        group(2, 2, [
          [1, 'main'],
          [5, 'substitute'],
        ]),
      ],
    })
    const result = computeRegister('main_subst_active', input)
    // group 1: main 1 (active), main 4 inactive; then substitutes by activation: 2 (10), 3 (20)
    // group 2: main 1 already picked; substitute 5
    assert.deepEqual(asObject(result.voters), { 1: 1, 2: 1, 3: 1, 5: 1 })
    const allocations = [...result.membershipVotes!.values()]
    assert.equal(allocations.filter((v) => v === 1).length, 4)
    assert.equal(allocations.filter((v) => v === null).length, 2)
  })

  test('main_subst_delegate: mains vote, or the substitute they transferred to', ({ assert }) => {
    const input = facts({
      members: [member(1), member(2), member(3), member(4, ['pa'])],
      groups: [
        group(1, null, [
          [1, 'main'],
          [2, 'main'],
          [3, 'substitute'],
        ]),
      ],
      transfers: [{ sourceId: 2, targetId: 3 }],
    })
    assert.deepEqual(asObject(computeRegister('main_subst_delegate', input).voters), { 1: 1, 3: 1 })
  })

  test('skk_kfum hands out votes in rounds, at most two per person', ({ assert }) => {
    const input = facts({
      members: [member(1), member(2), member(3), member(4)],
      groups: [
        group(1, 5, [
          [1, 'del_2'],
          [2, 'del_1'],
          [3, 'suppleant'],
          [4, 'del_1'],
        ]),
      ],
    })
    // round 1: del_2 → 1; del_1 → 2, 4; round 2: del_2 → 1 (2nd); del_1 → 2 (2nd) — 5 votes gone
    assert.deepEqual(asObject(computeRegister('skk_kfum', input).voters), { 1: 2, 2: 2, 4: 1 })
    const generous = facts({
      ...input,
      groups: [
        group(1, 20, [
          [1, 'del_2'],
          [3, 'suppleant'],
        ]),
      ],
    })
    assert.deepEqual(asObject(computeRegister('skk_kfum', generous).voters), { 1: 2, 3: 2 })
  })

  test('skr_agarrad: one vote per group plus delegations; SKR balances the sum', ({ assert }) => {
    const input = facts({
      members: [member(1), member(2), member(3), member(9)],
      groups: [
        group(1, null, [[1]], { tags: ['kommun'] }),
        group(2, null, [[2]], { tags: ['region'] }),
        group(3, null, [[3]], { tags: ['kommun'], delegateTo: 1 }),
        group(4, null, [], { tags: ['kommun'], delegateTo: 9 }),
        group(9, null, [[9]], { groupid: 'skr' }),
      ],
    })
    // group 1: 1 + 1 delegation = 2; group 2: 1; SKR: (2 + 1) + 2 × 1 − 1 = 4
    assert.deepEqual(asObject(computeRegister('skr_agarrad', input).voters), { 1: 2, 2: 1, 9: 4 })
  })

  test('skr_agarrad refuses a group with two eligible members', ({ assert }) => {
    const input = facts({
      members: [member(1), member(2)],
      groups: [group(1, null, [[1], [2]], { tags: ['kommun'], groupid: 'malmo' })],
    })
    assert.throws(
      () => computeRegister('skr_agarrad', input),
      /Group "malmo" has more than one eligible member/
    )
  })

  test('unrestricted: a transfer moves the weight to the target', ({ assert }) => {
    const input = facts({
      members: [member(1), member(2), member(3)],
      transfers: [{ sourceId: 1, targetId: 2 }],
    })
    assert.deepEqual(asObject(computeRegister('unrestricted', input).voters), { 2: 2, 3: 1 })
  })
})

test.group('Electoral register | generic algorithm (domain §11.3, §11.6)', () => {
  test('a new register is needed only while ongoing, and only when voters changed', ({
    assert,
  }) => {
    const policy = policyFor('auto_before_poll')
    const voters = new Map([[1, 1]])
    assert.isFalse(newRegisterNeeded({ meetingOngoing: false, policy, latest: null, voters }))
    assert.isTrue(newRegisterNeeded({ meetingOngoing: true, policy, latest: null, voters }))
    assert.isFalse(
      newRegisterNeeded({ meetingOngoing: true, policy, latest: null, voters: new Map() })
    )
    assert.isTrue(
      newRegisterNeeded({
        meetingOngoing: true,
        policy: policyFor('auto_always'),
        latest: null,
        voters: new Map(),
      })
    )
    assert.isFalse(
      newRegisterNeeded({ meetingOngoing: true, policy, latest: new Map([[1, 1]]), voters })
    )
    assert.isTrue(
      newRegisterNeeded({ meetingOngoing: true, policy, latest: new Map([[1, 2]]), voters })
    )
  })

  test('manual weights: whole numbers ≥ 1, no duplicates, pv holders only, with the field named', ({
    assert,
  }) => {
    const pv = new Set([1, 2])
    assert.deepEqual(
      asObject(
        manualVoters(
          [
            { user: 2, weight: 3 },
            { user: 1, weight: 1 },
          ],
          pv
        )
      ),
      { 1: 1, 2: 3 }
    )
    const field = (weights: Array<{ user: number; weight: number }>) => {
      try {
        manualVoters(weights, pv)
        return null
      } catch (error) {
        return (error as RegisterError).meta.field
      }
    }
    assert.equal(field([{ user: 1, weight: 0 }]), 'weights.0.weight')
    assert.equal(field([{ user: 1, weight: 1.5 }]), 'weights.0.weight')
    assert.equal(
      field([
        { user: 1, weight: 1 },
        { user: 1, weight: 2 },
      ]),
      'weights.1.user'
    )
    assert.equal(
      field([
        { user: 1, weight: 1 },
        { user: 3, weight: 2 },
      ]),
      'weights.1.user'
    )
  })
})

test.group('Vote transfers | main_and_subst (domain §11.5)', () => {
  const groups = [
    group(1, null, [
      [1, 'main'],
      [2, 'substitute'],
      [3, 'main'],
      [4, 'substitute'],
    ]),
    group(2, null, [[5, 'substitute']]),
  ]
  const base = {
    participants: new Set([1, 2, 3, 4, 5, 6]),
    groups,
    transfers: [] as Array<{ sourceId: number; targetId: number }>,
  }

  test('main to substitute of the same group is allowed', ({ assert }) => {
    assert.doesNotThrow(() => checkTransfer('main_and_subst', { sourceId: 1, targetId: 2 }, base))
  })

  test('refuses {why}')
    .with([
      { why: 'a transfer to oneself', transfer: { sourceId: 1, targetId: 1 }, existing: [] },
      { why: 'a non-participant target', transfer: { sourceId: 1, targetId: 7 }, existing: [] },
      {
        why: 'a target that already receives one',
        transfer: { sourceId: 3, targetId: 2 },
        existing: [{ sourceId: 1, targetId: 2 }],
      },
      {
        why: 'a target that has transferred',
        transfer: { sourceId: 1, targetId: 4 },
        existing: [{ sourceId: 4, targetId: 2 }],
      },
      { why: 'a main as target', transfer: { sourceId: 1, targetId: 3 }, existing: [] },
      {
        why: 'a substitute of another group',
        transfer: { sourceId: 1, targetId: 5 },
        existing: [],
      },
      {
        why: 'a source that already transferred',
        transfer: { sourceId: 1, targetId: 4 },
        existing: [{ sourceId: 1, targetId: 2 }],
      },
    ])
    .run(({ assert }, row) => {
      assert.throws(() =>
        checkTransfer('main_and_subst', row.transfer, { ...base, transfers: row.existing })
      )
    })

  test('unrestricted only checks the basics', ({ assert }) => {
    assert.doesNotThrow(() => checkTransfer('unrestricted', { sourceId: 1, targetId: 3 }, base))
    assert.throws(() => checkTransfer('unrestricted', { sourceId: 1, targetId: 1 }, base))
  })

  test('clean-up finds transfers whose roles no longer fit', ({ assert }) => {
    const changed = [
      group(1, null, [
        [1, 'main'],
        [2, 'main'],
      ]),
    ]
    assert.deepEqual(invalidTransfers([{ sourceId: 1, targetId: 2 }], changed), [
      { sourceId: 1, targetId: 2 },
    ])
    assert.deepEqual(invalidTransfers([{ sourceId: 1, targetId: 2 }], groups), [])
  })
})
