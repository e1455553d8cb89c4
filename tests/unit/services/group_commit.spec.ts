import { test } from '@japa/runner'
import { GroupCommit, type FlushResult } from '#services/group_commit'

interface Item {
  voter: number
  value: string
}

/** A GroupCommit whose flushes are recorded and take one macrotask, like a database round trip. */
function recorder(fail?: (item: Item) => boolean) {
  const flushes: Item[][] = []
  const committed = new Map<number, string>()
  const commits = new GroupCommit<Item, string>(
    async (_key, items) => {
      flushes.push(items)
      await new Promise((resolve) => setTimeout(resolve, 5))
      return items.map((item): FlushResult<string>[number] => {
        if (fail?.(item)) return { ok: false, error: new Error(`refused ${item.value}`) }
        committed.set(item.voter, item.value)
        return { ok: true, value: `stored ${item.value}` }
      })
    },
    { conflictKey: (item) => item.voter, maxBatch: 50 }
  )
  return { commits, flushes, committed }
}

test.group('GroupCommit', () => {
  test('items that arrive together share a flush; each caller gets its own outcome', async ({
    assert,
  }) => {
    const { commits, flushes } = recorder()
    const outcomes = await Promise.all(
      Array.from({ length: 120 }, (_, i) => commits.submit('poll-1', { voter: i, value: `v${i}` }))
    )
    assert.deepEqual(
      outcomes,
      Array.from({ length: 120 }, (_, i) => `stored v${i}`)
    )
    // 120 items, at most 50 per flush: three flushes, not 120.
    assert.deepEqual(
      flushes.map((batch) => batch.length),
      [50, 50, 20]
    )
  })

  test('one item alone is flushed at once', async ({ assert }) => {
    const { commits, flushes } = recorder()
    assert.equal(await commits.submit('poll-1', { voter: 1, value: 'a' }), 'stored a')
    assert.equal(await commits.submit('poll-1', { voter: 1, value: 'b' }), 'stored b')
    assert.deepEqual(
      flushes.map((batch) => batch.length),
      [1, 1]
    )
  })

  test('two items of one voter never share a flush and apply in arrival order', async ({
    assert,
  }) => {
    const { commits, flushes, committed } = recorder()
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => commits.submit('poll-1', { voter: 7, value: `v${i}` }))
    )
    assert.lengthOf(flushes, 20)
    assert.isTrue(flushes.every((batch) => batch.length === 1))
    assert.deepEqual(
      flushes.map((batch) => batch[0].value),
      Array.from({ length: 20 }, (_, i) => `v${i}`)
    )
    assert.equal(committed.get(7), 'v19')
  })

  test('keys are independent', async ({ assert }) => {
    const { commits, flushes } = recorder()
    await Promise.all([
      commits.submit('poll-1', { voter: 1, value: 'a' }),
      commits.submit('poll-2', { voter: 1, value: 'b' }),
    ])
    assert.lengthOf(flushes, 2)
  })

  test('a refusal is the refused item’s alone; a failed flush fails its whole batch only', async ({
    assert,
  }) => {
    const { commits } = recorder((item) => item.value === 'bad')
    const [good, bad] = await Promise.allSettled([
      commits.submit('poll-1', { voter: 1, value: 'good' }),
      commits.submit('poll-1', { voter: 2, value: 'bad' }),
    ])
    assert.deepEqual(good, { status: 'fulfilled', value: 'stored good' })
    assert.equal(bad.status, 'rejected')

    let calls = 0
    const flaky = new GroupCommit<Item, string>(
      async (_key, items) => {
        calls++
        if (calls === 1) throw new Error('database gone')
        return items.map((item) => ({ ok: true as const, value: item.value }))
      },
      { conflictKey: (item) => item.voter }
    )
    const first = await Promise.allSettled([
      flaky.submit('k', { voter: 1, value: 'x' }),
      flaky.submit('k', { voter: 2, value: 'y' }),
    ])
    assert.deepEqual(
      first.map((result) => result.status),
      ['rejected', 'rejected']
    )
    assert.equal(await flaky.submit('k', { voter: 1, value: 'z' }), 'z')
  })

  test('with concurrency, flushes overlap but a voter’s next item waits for its previous flush', async ({
    assert,
  }) => {
    const events: string[] = []
    let running = 0
    let maxRunning = 0
    const commits = new GroupCommit<Item, string>(
      async (_key, items) => {
        running++
        maxRunning = Math.max(maxRunning, running)
        const names = items.map((item) => item.value).join('+')
        events.push(`start ${names}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
        events.push(`end ${names}`)
        running--
        return items.map((item) => ({ ok: true as const, value: item.value }))
      },
      { conflictKey: (item) => item.voter, concurrency: 2 }
    )
    const first = commits.submit('k', { voter: 1, value: 'a1' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    // a1 is in flight: b2 may start beside it, a1's voter must wait for it.
    const later = [
      commits.submit('k', { voter: 1, value: 'a2' }),
      commits.submit('k', { voter: 2, value: 'b2' }),
    ]
    assert.deepEqual(await Promise.all([first, ...later]), ['a1', 'a2', 'b2'])
    assert.equal(maxRunning, 2)
    assert.deepEqual(events.slice(0, 2), ['start a1', 'start b2'])
    assert.isBelow(events.indexOf('end a1'), events.indexOf('start a2'))
  })
})
