import { test } from '@japa/runner'
import {
  byEntry,
  nextInOrder,
  orderChanged,
  reorder,
  safeCount,
  shuffleQueue,
  shuffled,
  sortByPrevious,
} from '#domain/speakers/ordering'
import { normalizeMethodSettings, type SpeakerListMethodName } from '#domain/speakers/methods'
import { SeededRandom } from '#domain/polls/counting/random'
import { emptyFacts, type OrderingFacts } from '#domain/speakers/types'
import { entries, facts, ids, lcg, show } from './helpers.js'

interface Case {
  title: string
  queue: string
  previous?: string
  safe: number
  method: SpeakerListMethodName
  settings?: unknown
  facts?: OrderingFacts
  expected: string
}

function run(row: Case) {
  const list = entries(row.queue)
  const normalized = normalizeMethodSettings(row.method, row.settings ?? null)
  if (!normalized.ok) throw new Error('bad settings in test')
  const order = reorder({
    entries: list,
    previousOrder: row.previous ? ids(row.previous) : list.map((entry) => entry.turnId),
    safePositions: row.safe,
    method: row.method,
    settings: normalized.settings,
    facts: row.facts ?? emptyFacts,
  })
  return show(order, list)
}

test.group('Speakers | sorting by previous order (domain §12.4 step 2)', () => {
  test('known turns keep their order, unknown ones follow by created then id', ({ assert }) => {
    const list = entries('1 2 3 4')
    // previous order knows 3 and 1 only; 2 and 4 are new and go after by `created`
    assert.deepEqual(
      sortByPrevious(list, [3, 1]).map((entry) => entry.turnId),
      [3, 1, 2, 4]
    )
  })

  test('ties on created are broken by turn id; duplicate ids in the order use the first index', ({
    assert,
  }) => {
    const list = entries('5 2').map((entry) => ({ ...entry, created: 0 }))
    assert.deepEqual(
      sortByPrevious(list, []).map((entry) => entry.turnId),
      [2, 5]
    )
    assert.deepEqual(
      sortByPrevious(entries('1 2'), [2, 1, 2]).map((entry) => entry.turnId),
      [2, 1]
    )
  })

  test('points of order are served by entry time, whatever the previous order', ({ assert }) => {
    const list = entries('1p 2p 3p')
    assert.deepEqual(
      byEntry([...list].reverse()).map((entry) => entry.userId),
      [1, 2, 3]
    )
  })
})

test.group('Speakers | safe positions (domain §12.4 step 3)', () => {
  test('{queue} with safe_positions {safe} has {expected} safe entries')
    .with([
      { queue: '', safe: 1, expected: 0 },
      { queue: '1 2 3', safe: 0, expected: 0 },
      { queue: '1 2 3', safe: 1, expected: 1 },
      { queue: '1 2 3', safe: 3, expected: 3 },
      { queue: '1 2', safe: 3, expected: 2 },
      { queue: '1* 2 3', safe: 1, expected: 2 },
      { queue: '1 2* 3', safe: 2, expected: 3 },
      { queue: '1 2* 3', safe: 1, expected: 1 },
      { queue: '1* 2', safe: 2, expected: 2 },
      { queue: '1* 2 3 4', safe: 3, expected: 4 },
      { queue: '1* 2 3', safe: 0, expected: 0 },
    ])
    .run(({ assert }, row) => {
      assert.equal(safeCount(entries(row.queue), row.safe), row.expected)
    })
})

test.group('Speakers | ordering methods (domain §12.4, beyond.md B-ADD-03)', () => {
  test('{title}')
    .with<Case[]>([
      // simple
      { title: 'simple: empty queue', queue: '', safe: 1, method: 'simple', expected: '' },
      {
        title: 'simple: first in, first out',
        queue: '1 2 3',
        safe: 0,
        method: 'simple',
        expected: '1 2 3',
      },
      {
        title: 'simple: a stored order wins over entry time',
        queue: '1 2 3',
        previous: '3 1 2',
        safe: 0,
        method: 'simple',
        expected: '3 1 2',
      },
      {
        title: 'simple: newcomers are appended',
        queue: '1 2 3 4',
        previous: '2 1',
        safe: 1,
        method: 'simple',
        expected: '2 1 3 4',
      },
      {
        title: 'simple: ignores statistics',
        queue: '1 2',
        safe: 0,
        method: 'simple',
        facts: facts({ turns: { 1: 5 }, seconds: { 1: 900 } }),
        expected: '1 2',
      },
      // priority (scenario S37)
      {
        title: 'priority S37: B (never spoke) goes before A (spoke twice) without safe positions',
        queue: '1 2 3',
        safe: 0,
        method: 'priority',
        settings: { max_times: 0 },
        facts: facts({ turns: { 1: 2 } }),
        expected: '2 3 1',
      },
      {
        title: 'priority S37: with safe_positions 1, A stays first',
        queue: '1 2 3',
        safe: 1,
        method: 'priority',
        settings: { max_times: 0 },
        facts: facts({ turns: { 1: 2 } }),
        expected: '1 2 3',
      },
      {
        title: 'priority: ties keep the previous order',
        queue: '1 2 3 4',
        previous: '4 3 2 1',
        safe: 0,
        method: 'priority',
        facts: facts({ turns: { 4: 1, 2: 1 } }),
        expected: '3 1 4 2',
      },
      {
        title: 'priority: max_times caps the count (A spoke 2, B 1, cap 1: tie keeps A first)',
        queue: '1 2 3',
        safe: 0,
        method: 'priority',
        settings: { max_times: 1 },
        facts: facts({ turns: { 1: 2, 2: 1 } }),
        expected: '3 1 2',
      },
      {
        title: 'priority: without the cap the same queue is fully sorted',
        queue: '1 2 3',
        safe: 0,
        method: 'priority',
        settings: { max_times: 0 },
        facts: facts({ turns: { 1: 2, 2: 1 } }),
        expected: '3 2 1',
      },
      {
        title: 'priority: a speaking safe entry makes one extra position safe',
        queue: '1* 2 3 4',
        safe: 1,
        method: 'priority',
        facts: facts({ turns: { 2: 2, 3: 1 } }),
        expected: '1* 2 4 3',
      },
      {
        title: 'priority: no safe positions, the speaker is still shown first',
        queue: '1* 2 3 4',
        safe: 0,
        method: 'priority',
        facts: facts({ turns: { 2: 2, 3: 1 } }),
        expected: '1* 4 3 2',
      },
      {
        title: 'priority: safe positions larger than the queue keep everything',
        queue: '1 2',
        safe: 3,
        method: 'priority',
        facts: facts({ turns: { 1: 4 } }),
        expected: '1 2',
      },
      {
        title: 'priority: safe_positions 3 keeps three, orders the rest',
        queue: '1 2 3 4 5',
        safe: 3,
        method: 'priority',
        facts: facts({ turns: { 1: 3, 2: 3, 3: 3, 4: 1 } }),
        expected: '1 2 3 5 4',
      },
      {
        title: 'priority: a speaker started out of order moves to the head',
        queue: '1 2* 3',
        safe: 1,
        method: 'priority',
        facts: facts({ turns: { 3: 1 } }),
        expected: '2* 1 3',
      },
      // gender_prio (exact interleaving decision of domain §12.4)
      {
        title: 'gender_prio: alternates within one group, starting in previous order',
        queue: '1 2 3 4 5',
        safe: 0,
        method: 'gender_prio',
        facts: facts({ genders: { 1: ['m'], 2: ['m'], 3: ['f'], 4: ['m'], 5: ['nb'] } }),
        expected: '1 3 2 5 4',
      },
      {
        title: 'gender_prio: after a non-prioritised safe speaker, a prioritised one comes next',
        queue: '1 2 3 4 5',
        safe: 1,
        method: 'gender_prio',
        facts: facts({ genders: { 1: ['m'], 2: ['m'], 3: ['f'], 4: ['m'], 5: ['nb'] } }),
        expected: '1 3 2 5 4',
      },
      {
        title: 'gender_prio: after a prioritised safe speaker, previous order decides',
        queue: '3 1 2 4 5',
        safe: 1,
        method: 'gender_prio',
        facts: facts({ genders: { 1: ['m'], 2: ['m'], 3: ['f'], 4: ['m'], 5: ['nb'] } }),
        expected: '3 1 5 2 4',
      },
      {
        title: 'gender_prio: untagged users count as not prioritised',
        queue: '1 2 3',
        safe: 0,
        method: 'gender_prio',
        facts: facts({ genders: { 3: ['f'] } }),
        expected: '1 3 2',
      },
      {
        title: 'gender_prio: only prioritised users keep their order',
        queue: '1 2 3',
        safe: 0,
        method: 'gender_prio',
        facts: facts({ genders: { 1: ['f'], 2: ['nb'], 3: ['f'] } }),
        expected: '1 2 3',
      },
      {
        title: 'gender_prio: the last placed speaker carries over to the next count group',
        queue: '1 2 3 4',
        safe: 0,
        method: 'gender_prio',
        facts: facts({
          turns: { 2: 1, 3: 1 },
          genders: { 1: ['m'], 2: ['m'], 3: ['f'], 4: ['m'] },
        }),
        expected: '1 4 3 2',
      },
      {
        title: 'gender_prio: custom priority genders',
        queue: '1 2 3',
        safe: 0,
        method: 'gender_prio',
        settings: { priority_genders: ['m'] },
        facts: facts({ genders: { 1: ['f'], 2: ['f'], 3: ['m'] } }),
        expected: '1 3 2',
      },
      {
        title: 'gender_prio: several tags, one of them prioritised',
        queue: '1 2 3',
        safe: 0,
        method: 'gender_prio',
        facts: facts({ genders: { 1: ['m'], 2: ['m'], 3: ['m', 'nb'] } }),
        expected: '1 3 2',
      },
      {
        title: 'gender_prio: priority first (spoken count beats gender)',
        queue: '1 2 3',
        safe: 0,
        method: 'gender_prio',
        facts: facts({ turns: { 2: 1 }, genders: { 1: ['m'], 2: ['f'], 3: ['m'] } }),
        expected: '1 3 2',
      },
      // time_fair
      {
        title: 'time_fair: least seconds first',
        queue: '1 2 3',
        safe: 0,
        method: 'time_fair',
        facts: facts({ seconds: { 1: 120, 2: 30 } }),
        expected: '3 2 1',
      },
      {
        title: 'time_fair: ties by previous order',
        queue: '1 2 3',
        previous: '3 2 1',
        safe: 0,
        method: 'time_fair',
        facts: facts({ seconds: { 1: 10, 2: 10, 3: 10 } }),
        expected: '3 2 1',
      },
      {
        title: 'time_fair: respects safe positions',
        queue: '1 2 3',
        safe: 1,
        method: 'time_fair',
        facts: facts({ seconds: { 1: 500, 2: 60 } }),
        expected: '1 3 2',
      },
      {
        title: 'time_fair: ignores the number of turns',
        queue: '1 2',
        safe: 0,
        method: 'time_fair',
        facts: facts({ turns: { 1: 0, 2: 9 }, seconds: { 1: 300, 2: 20 } }),
        expected: '2 1',
      },
      // point-of-order queue (api.md §11.4)
      {
        title: 'point of order: directly after the current speaker, ahead of safe positions',
        queue: '1* 2 3 4p',
        safe: 2,
        method: 'simple',
        expected: '1* 4p 2 3',
      },
      {
        title: 'point of order: without a speaker it heads the queue',
        queue: '1 2 3p',
        safe: 1,
        method: 'simple',
        expected: '3p 1 2',
      },
      {
        title: 'point of order: several are served in order of entry, whatever the stored order',
        queue: '1* 2 3p 4p',
        previous: '1* 4p 3p 2',
        safe: 0,
        method: 'simple',
        expected: '1* 3p 4p 2',
      },
      {
        title: 'point of order: fairness methods do not move it',
        queue: '1 2 3p',
        safe: 0,
        method: 'priority',
        facts: facts({ turns: { 3: 7 } }),
        expected: '3p 1 2',
      },
      {
        title: 'point of order: a speaking point of order stays at the head',
        queue: '1 2 3p*',
        safe: 1,
        method: 'simple',
        expected: '3p* 1 2',
      },
      {
        title: 'point of order: does not use up safe positions',
        queue: '1 2 3 4p',
        safe: 1,
        method: 'priority',
        facts: facts({ turns: { 1: 3, 2: 2 } }),
        expected: '4p 1 3 2',
      },
      {
        title: 'point of order: the same user may be queued for a speech and a point of order',
        queue: '1 2 1p',
        safe: 0,
        method: 'simple',
        expected: '1p 1 2',
      },
    ])
    .run(({ assert }, row) => {
      assert.equal(run(row), row.expected)
    })

  test('a second speaking turn is refused', ({ assert }) => {
    assert.throws(
      () =>
        reorder({
          entries: entries('1* 2*'),
          previousOrder: [],
          safePositions: 0,
          method: 'simple',
          settings: {},
          facts: emptyFacts,
        }),
      'A list can only have one current speaker'
    )
  })

  test('reorder is idempotent for every method', ({ assert }) => {
    const f = facts({
      turns: { 2: 1, 4: 2 },
      seconds: { 1: 40, 3: 10 },
      genders: { 2: ['f'], 5: ['nb'] },
    })
    for (const method of ['simple', 'priority', 'gender_prio', 'time_fair'] as const) {
      const list = entries('1* 2 3 4 5 6p')
      const settings = (normalizeMethodSettings(method, null) as { settings: any }).settings
      const once = reorder({
        entries: list,
        previousOrder: [],
        safePositions: 1,
        method,
        settings,
        facts: f,
      })
      const twice = reorder({
        entries: list,
        previousOrder: once,
        safePositions: 1,
        method,
        settings,
        facts: f,
      })
      assert.deepEqual(twice, once, method)
      assert.sameMembers(
        once,
        list.map((entry) => entry.turnId),
        method
      )
    }
  })
})

test.group('Speakers | order changes (domain §12.4 step 5)', () => {
  test('orderChanged compares element-wise', ({ assert }) => {
    assert.isFalse(orderChanged([1, 2], [1, 2]))
    assert.isTrue(orderChanged([1, 2], [2, 1]))
    assert.isTrue(orderChanged([1, 2], [1, 2, 3]))
    assert.isFalse(orderChanged([], []))
  })

  test('nextInOrder skips the current speaker', ({ assert }) => {
    const list = entries('1* 2p 3')
    assert.equal(nextInOrder([1, 102, 3], list)?.turnId, 102)
    assert.equal(nextInOrder([3, 1], list)?.turnId, 3)
    assert.isNull(nextInOrder([1], list))
    assert.isNull(nextInOrder([], []))
  })
})

test.group('Speakers | shuffle (domain §12.4)', () => {
  const base = { safePositions: 0, method: 'simple' as const, settings: {}, facts: emptyFacts }

  test('Fisher–Yates with an injected source is deterministic', ({ assert }) => {
    // randInt always 0: each step swaps position i with 0
    assert.deepEqual(
      shuffled([1, 2, 3, 4], () => 0),
      [2, 3, 4, 1]
    )
    // randInt(k) = k - 1 never swaps
    assert.deepEqual(
      shuffled([1, 2, 3, 4], (k) => k - 1),
      [1, 2, 3, 4]
    )
    const seeded = new SeededRandom('meeting-42')
    const again = new SeededRandom('meeting-42')
    assert.deepEqual(
      shuffled([1, 2, 3, 4, 5, 6], (k) => seeded.randInt(k)),
      shuffled([1, 2, 3, 4, 5, 6], (k) => again.randInt(k))
    )
  })

  test('a random source returning out-of-range values is rejected', ({ assert }) => {
    assert.throws(() => shuffled([1, 2], () => 5), /returned 5/)
  })

  test('is refused while someone is speaking', ({ assert }) => {
    assert.throws(
      () => shuffleQueue({ ...base, entries: entries('1* 2 3'), order: [], randInt: () => 0 }),
      'Cannot shuffle while someone is speaking'
    )
  })

  test('keeps safe entries and points of order in place and permutes the rest', ({ assert }) => {
    for (let seed = 1; seed <= 50; seed++) {
      const list = entries('1 2 3 4 5 6 9p')
      const order = shuffleQueue({
        ...base,
        safePositions: 2,
        entries: list,
        order: [],
        randInt: lcg(seed),
      })
      assert.deepEqual(order.slice(0, 3), [109, 1, 2])
      assert.sameMembers(order.slice(3), [3, 4, 5, 6])
    }
  })

  test('actually randomises: 50 seeds give more than one order', ({ assert }) => {
    const seen = new Set<string>()
    for (let seed = 1; seed <= 50; seed++) {
      seen.add(
        shuffleQueue({
          ...base,
          entries: entries('1 2 3 4 5'),
          order: [],
          randInt: lcg(seed),
        }).join(',')
      )
    }
    assert.isAbove(seen.size, 10)
  })

  test('re-applies the method after shuffling (priority puts non-speakers first)', ({ assert }) => {
    const settings = { max_times: 0 }
    const f = facts({ turns: { 1: 1, 2: 1 } })
    for (let seed = 1; seed <= 20; seed++) {
      const order = shuffleQueue({
        ...base,
        method: 'priority',
        settings,
        facts: f,
        entries: entries('1 2 3 4'),
        order: [],
        randInt: lcg(seed),
      })
      assert.sameMembers(order.slice(0, 2), [3, 4])
      assert.sameMembers(order.slice(2), [1, 2])
    }
  })

  test('with the all-zero source the result is known exactly', ({ assert }) => {
    const order = shuffleQueue({
      ...base,
      safePositions: 1,
      entries: entries('1 2 3 4'),
      order: [],
      randInt: () => 0,
    })
    // safe: 1; the rest [2, 3, 4] shuffled with j = 0 → [3, 4, 2]
    assert.deepEqual(order, [1, 3, 4, 2])
  })
})
