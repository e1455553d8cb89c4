import { test } from '@japa/runner'
import {
  clampSeconds,
  elapsedMs,
  elapsedSeconds,
  extendClock,
  finishedSeconds,
  isPaused,
  limitForKind,
  pauseClock,
  remainingSeconds,
  resumeClock,
  startClock,
} from '#domain/speakers/timers'
import {
  budgetStatus,
  exhaustedGroupsOf,
  groupHistory,
  speakerHistory,
} from '#domain/speakers/budgets'

test.group('Speakers | timers (beyond.md B-ADD-02)', () => {
  test('a running clock counts from start', ({ assert }) => {
    const clock = startClock(1_000, 60)
    assert.equal(elapsedMs(clock, 1_000), 0)
    assert.equal(elapsedMs(clock, 11_500), 10_500)
    assert.equal(elapsedSeconds(clock, 11_500), 10)
    assert.equal(remainingSeconds(clock, 11_500), 49)
    assert.isFalse(isPaused(clock))
  })

  test('pause freezes the clock and resume continues it', ({ assert }) => {
    let clock = startClock(1_000, 60)
    clock = pauseClock(clock, 6_000)
    assert.isTrue(isPaused(clock))
    assert.equal(elapsedMs(clock, 6_000), 5_000)
    assert.equal(elapsedMs(clock, 100_000), 5_000, 'paused time does not count')
    clock = resumeClock(clock, 20_000)
    assert.equal(elapsedMs(clock, 22_500), 7_500)
    assert.equal(finishedSeconds(clock, 22_500), 8)
    clock = pauseClock(clock, 25_000)
    clock = resumeClock(clock, 30_000)
    assert.equal(elapsedMs(clock, 31_000), 11_000)
  })

  test('pausing a paused clock or resuming a running one is refused', ({ assert }) => {
    const clock = startClock(0, null)
    assert.throws(() => resumeClock(clock, 10), 'The timer is not paused')
    const paused = pauseClock(clock, 10)
    assert.throws(() => pauseClock(paused, 20), 'The timer is not running')
  })

  test('a clock read before its start (clock skew) never goes negative', ({ assert }) => {
    const clock = startClock(10_000, 30)
    assert.equal(elapsedMs(clock, 9_000), 0)
    assert.equal(remainingSeconds(clock, 9_000), 30)
  })

  test('countdown goes negative in overtime; no limit gives null', ({ assert }) => {
    assert.equal(remainingSeconds(startClock(0, 30), 45_000), -15)
    assert.isNull(remainingSeconds(startClock(0, null), 45_000))
  })

  test('stop(): seconds = ceil(elapsed), minimum 1, capped at 32767 (domain §12.1)')
    .with([
      { elapsed: 0, expected: 1 },
      { elapsed: 1, expected: 1 },
      { elapsed: 999, expected: 1 },
      { elapsed: 1_000, expected: 1 },
      { elapsed: 1_001, expected: 2 },
      { elapsed: 10_000, expected: 10 },
      { elapsed: 32_767_000, expected: 32_767 },
      { elapsed: 99_999_000, expected: 32_767 },
    ])
    .run(({ assert }, row) => {
      assert.equal(finishedSeconds(startClock(0, null), row.elapsed), row.expected)
    })

  test('clampSeconds bounds corrected values', ({ assert }) => {
    assert.equal(clampSeconds(0), 1)
    assert.equal(clampSeconds(-5), 1)
    assert.equal(clampSeconds(40_000), 32_767)
    assert.equal(clampSeconds(12), 12)
  })

  test('extend adds to the limit, or creates one from the elapsed time', ({ assert }) => {
    assert.equal(extendClock(startClock(0, 60), 30, 5_000).limitSeconds, 90)
    assert.equal(extendClock(startClock(0, null), 30, 12_300).limitSeconds, 43)
    assert.throws(() => extendClock(startClock(0, 60), 0, 0), /between 1 and 3600/)
    assert.throws(() => extendClock(startClock(0, 60), 1.5, 0), /between 1 and 3600/)
  })

  test('limits per kind come from the system; 0 or null means no countdown', ({ assert }) => {
    const system = { speechSeconds: 120, pointOfOrderSeconds: 30 }
    assert.equal(limitForKind('speech', system), 120)
    assert.equal(limitForKind('point_of_order', system), 30)
    assert.isNull(limitForKind('speech', { speechSeconds: 0, pointOfOrderSeconds: null }))
    assert.isNull(limitForKind('point_of_order', { speechSeconds: 60, pointOfOrderSeconds: null }))
  })
})

test.group('Speakers | group time budgets (beyond.md B-ADD-02, B-PAIN-14)', () => {
  const members = new Map([
    [10, [1, 2]],
    [20, [2, 3]],
    [30, [4]],
  ])

  test('speeches of members draw on their groups; a member of two groups draws on both', ({
    assert,
  }) => {
    const status = budgetStatus({
      budgets: [
        { groupId: 10, seconds: 300 },
        { groupId: 20, seconds: 100 },
        { groupId: 30, seconds: 60 },
      ],
      members,
      finished: [
        { userId: 1, seconds: 100, kind: 'speech' },
        { userId: 2, seconds: 50, kind: 'speech' },
        { userId: 3, seconds: 60, kind: 'speech' },
        { userId: 3, seconds: 45, kind: 'point_of_order' },
      ],
      running: null,
      enforce: false,
    })
    assert.deepEqual(status, [
      {
        group: 10,
        seconds: 300,
        used_seconds: 150,
        remaining_seconds: 150,
        exhausted: false,
        enforced: false,
      },
      {
        group: 20,
        seconds: 100,
        used_seconds: 110,
        remaining_seconds: -10,
        exhausted: true,
        enforced: false,
      },
      {
        group: 30,
        seconds: 60,
        used_seconds: 0,
        remaining_seconds: 60,
        exhausted: false,
        enforced: false,
      },
    ])
  })

  test('the running speech counts with its elapsed seconds; a running point of order does not', ({
    assert,
  }) => {
    const base = { budgets: [{ groupId: 30, seconds: 60 }], members, finished: [], enforce: true }
    assert.equal(
      budgetStatus({ ...base, running: { userId: 4, elapsedSeconds: 60, kind: 'speech' } })[0]
        .used_seconds,
      60
    )
    assert.isTrue(
      budgetStatus({ ...base, running: { userId: 4, elapsedSeconds: 60, kind: 'speech' } })[0]
        .exhausted
    )
    assert.equal(
      budgetStatus({
        ...base,
        running: { userId: 4, elapsedSeconds: 60, kind: 'point_of_order' },
      })[0].used_seconds,
      0
    )
  })

  test('exhaustedGroupsOf lists only the user’s exhausted groups', ({ assert }) => {
    const statuses = budgetStatus({
      budgets: [
        { groupId: 10, seconds: 10 },
        { groupId: 20, seconds: 1000 },
      ],
      members,
      finished: [{ userId: 1, seconds: 10, kind: 'speech' }],
      running: null,
      enforce: true,
    })
    assert.deepEqual(
      exhaustedGroupsOf(2, statuses, members).map((s) => s.group),
      [10]
    )
    assert.deepEqual(exhaustedGroupsOf(3, statuses, members), [])
  })
})

test.group('Speakers | history (domain §12.6, beyond.md B-ADD-03)', () => {
  const turns = [
    { userId: 1, seconds: 30, kind: 'speech' as const },
    { userId: 2, seconds: 100, kind: 'speech' as const },
    { userId: 1, seconds: 40, kind: 'speech' as const },
    { userId: 3, seconds: 5, kind: 'point_of_order' as const },
  ]

  test('aggregates per user', ({ assert }) => {
    assert.deepEqual(speakerHistory(turns), [
      { user: 1, times_spoken: 2, seconds_spoken: 70, points_of_order: 0 },
      { user: 2, times_spoken: 1, seconds_spoken: 100, points_of_order: 0 },
      { user: 3, times_spoken: 1, seconds_spoken: 5, points_of_order: 1 },
    ])
  })

  test('sortable by {ordering}')
    .with([
      { ordering: 'user', expected: [1, 2, 3] },
      { ordering: '-seconds_spoken', expected: [2, 1, 3] },
      { ordering: 'seconds_spoken', expected: [3, 1, 2] },
      { ordering: '-times_spoken', expected: [1, 2, 3] },
      { ordering: 'times_spoken', expected: [2, 3, 1] },
    ] as const)
    .run(({ assert }, row) => {
      assert.deepEqual(
        speakerHistory(turns, row.ordering).map((r) => r.user),
        [...row.expected]
      )
    })

  test('per group, members of several groups count in each', ({ assert }) => {
    const members = new Map([
      [10, [1, 3]],
      [20, [1, 2]],
    ])
    assert.deepEqual(groupHistory(turns, members, '-seconds_spoken'), [
      { group: 20, times_spoken: 3, seconds_spoken: 170 },
      { group: 10, times_spoken: 3, seconds_spoken: 75 },
    ])
  })

  test('empty history', ({ assert }) => {
    assert.deepEqual(speakerHistory([]), [])
  })
})
