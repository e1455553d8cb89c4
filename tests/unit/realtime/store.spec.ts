import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import { batchByChannel, envelopeTail } from '#realtime/envelope'
import {
  MemoryRealtimeStore,
  defaultReplayOptions,
  type RealtimeStore,
  type ReplayOptions,
} from '#realtime/store'
import { PollStatusScheduler, type PollStatus } from '#realtime/poll_status'
import { redisReachable } from '#tests/helpers/redis'

const tail = (channel: string, n: number) =>
  envelopeTail(
    channel,
    { type: 'note.changed', rid: null, data: { id: n } },
    '2026-01-01T00:00:00.000Z'
  )

/** The same contract for both stores; the Redis one runs when a Redis server answers (CI has one). */
type StoreFactory = (options: ReplayOptions, now?: () => number) => Promise<RealtimeStore | null>

const factories: Array<[string, StoreFactory]> = [
  ['memory', async (options, now) => new MemoryRealtimeStore(options, now)],
  [
    'redis',
    async (options) => {
      if (!(await redisReachable())) return null
      const [{ default: redis }, { RedisRealtimeStore }] = await Promise.all([
        import('@adonisjs/redis/services/main'),
        import('#realtime/redis_store'),
      ])
      return new RedisRealtimeStore(redis.connection(), `rt:unit-${randomUUID()}:`, options)
    },
  ],
]

for (const [name, make] of factories) {
  test.group(`Realtime store | ${name}`, () => {
    test('seq increases by one per message within an epoch; cursor reports the last seq', async ({
      assert,
    }) => {
      const store = await make(defaultReplayOptions)
      if (!store) return console.log('  (skipped: Redis is not reachable on REDIS_HOST:REDIS_PORT)')
      const channel = `users/${Date.now()}`
      const start = await store.cursor(channel)
      assert.equal(start.seq, 0)
      const first = await store.append(channel, [tail(channel, 1), tail(channel, 2)], Date.now())
      const second = await store.append(channel, [tail(channel, 3)], Date.now())
      assert.equal(first.epoch, start.epoch)
      assert.deepEqual([first.first, first.seq, second.first, second.seq], [1, 2, 3, 3])
      const parsed = JSON.parse(second.envelopes[0])
      assert.deepInclude(parsed, {
        v: 1,
        epoch: start.epoch,
        seq: 3,
        type: 'note.changed',
        channel,
      })
      assert.deepEqual(parsed.data, { id: 3 })
      assert.deepEqual(await store.cursor(channel), { epoch: start.epoch, seq: 3 })
      await store.close()
    })

    test('replay returns exactly the envelopes after a cursor; null for another epoch or a future cursor', async ({
      assert,
    }) => {
      const store = await make(defaultReplayOptions)
      if (!store) return
      const channel = `orgs/${Date.now()}`
      const { epoch } = await store.append(
        channel,
        [1, 2, 3, 4, 5].map((n) => tail(channel, n)),
        Date.now()
      )
      const replayed = (await store.replay(channel, epoch, 2))!.map((envelope) =>
        JSON.parse(envelope)
      )
      assert.deepEqual(
        replayed.map((envelope) => [envelope.seq, envelope.data.id]),
        [
          [3, 3],
          [4, 4],
          [5, 5],
        ]
      )
      assert.deepEqual(await store.replay(channel, epoch, 5), [])
      assert.isNull(await store.replay(channel, 'another', 2))
      assert.isNull(await store.replay(channel, epoch, 6))
      assert.isNull(await store.replay(`never/${Date.now()}`, epoch, 0))
      await store.close()
    })

    test('retention keeps the last N messages and younger ones; an older range is unavailable', async ({
      assert,
    }) => {
      let now = 1_000_000
      const options = { ...defaultReplayOptions, keepMessages: 3, retentionMs: 1000, hardCap: 50 }
      const store = await make(options, () => now)
      if (!store) return
      const channel = `meetings/${Date.now()}`
      const { epoch } = await store.append(
        channel,
        [1, 2, 3, 4, 5].map((n) => tail(channel, n)),
        now
      )
      // All five are younger than the retention window: still available.
      assert.lengthOf((await store.replay(channel, epoch, 0))!, 5)
      now += 5000
      await store.append(channel, [tail(channel, 6)], now)
      // Now only the last three (4, 5, 6) are kept: after=2 lost message 3.
      assert.isNull(await store.replay(channel, epoch, 2))
      assert.deepEqual(
        (await store.replay(channel, epoch, 3))!.map((envelope) => JSON.parse(envelope).seq),
        [4, 5, 6]
      )
      await store.close()
    })

    test('tickets are single use; stream owners cannot be taken over by another user', async ({
      assert,
    }) => {
      const store = await make(defaultReplayOptions)
      if (!store) return
      const ticket = randomUUID()
      await store.putTicket(ticket, 'value', 60)
      assert.equal(await store.takeTicket(ticket), 'value')
      assert.isNull(await store.takeTicket(ticket))

      const uid = randomUUID()
      assert.deepEqual(await store.claimStream(uid, { userId: 1, instance: 'a' }), {
        userId: 1,
        instance: 'a',
      })
      assert.deepEqual(await store.claimStream(uid, { userId: 2, instance: 'b' }), {
        userId: 1,
        instance: 'a',
      })
      assert.deepEqual(await store.claimStream(uid, { userId: 1, instance: 'b' }), {
        userId: 1,
        instance: 'b',
      })
      await store.releaseStream(uid, 'a')
      assert.deepEqual(await store.streamOwner(uid), { userId: 1, instance: 'b' })
      await store.releaseStream(uid, 'b')
      assert.isNull(await store.streamOwner(uid))
      await store.close()
    })

    test('published envelopes reach listeners in seq order', async ({ assert }) => {
      const store = await make(defaultReplayOptions)
      if (!store) return
      const channel = `users/${Date.now()}`
      const seen: number[] = []
      await store.listen({
        envelopes: (published, envelopes) => {
          if (published === channel)
            seen.push(...envelopes.map((envelope) => JSON.parse(envelope).seq))
        },
        control: () => undefined,
      })
      await Promise.all(
        [1, 2, 3, 4, 5, 6].map((n) => store.append(channel, [tail(channel, n)], Date.now()))
      )
      const deadline = Date.now() + 2000
      while (seen.length < 6 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10))
      assert.deepEqual(seen, [1, 2, 3, 4, 5, 6])
      await store.close()
    })
  })
}

test.group('Realtime store | memory epochs', () => {
  test('an idle channel is dropped after its TTL and comes back with a new epoch', async ({
    assert,
  }) => {
    let now = 0
    const store = new MemoryRealtimeStore(
      { ...defaultReplayOptions, channelTtlSeconds: 10 },
      () => now
    )
    const first = await store.append('users/1', [tail('users/1', 1)], now)
    now += 11_000
    const second = await store.cursor('users/1')
    assert.notEqual(second.epoch, first.epoch)
    assert.equal(second.seq, 0)
    assert.isNull(await store.replay('users/1', first.epoch, 0))
    await store.close()
  })
})

test.group('Realtime | batching (api.md §7.8)', () => {
  const message = (channel: string, type: string, id: number) => ({ channel, type, data: { id } })

  test('3+ same-type messages per channel collapse at the first item; two stay single; channels apart', ({
    assert,
  }) => {
    const grouped = batchByChannel([
      message('a', 'proposal.changed', 1),
      message('b', 'proposal.changed', 1),
      message('a', 'poll.changed', 7),
      message('a', 'proposal.changed', 2),
      message('b', 'proposal.changed', 2),
      message('a', 'proposal.changed', 3),
    ])
    assert.deepEqual([...grouped.keys()], ['a', 'b'])
    assert.deepEqual(grouped.get('a'), [
      { type: 'proposal.changed.batch', rid: null, items: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      { type: 'poll.changed', rid: null, data: { id: 7 } },
    ])
    assert.deepEqual(grouped.get('b'), [
      { type: 'proposal.changed', rid: null, data: { id: 1 } },
      { type: 'proposal.changed', rid: null, data: { id: 2 } },
    ])
  })

  test('a message with an announce stays single, and its envelope carries the announce (api.md §7.3)', ({
    assert,
  }) => {
    const announce = { key: 'speaker.started', params: { user: 4 } }
    const grouped = batchByChannel([
      message('a', 'speaker.changed', 1),
      { ...message('a', 'speaker.changed', 2), announce },
      message('a', 'speaker.changed', 3),
      message('a', 'speaker.changed', 4),
    ])
    assert.deepEqual(grouped.get('a'), [
      { type: 'speaker.changed.batch', rid: null, items: [{ id: 1 }, { id: 3 }, { id: 4 }] },
      { type: 'speaker.changed', rid: null, data: { id: 2 }, announce },
    ])
    const envelope = JSON.parse(`{${envelopeTail('a', grouped.get('a')![1], 'now')}`)
    assert.deepEqual(envelope.announce, announce)
    assert.notProperty(JSON.parse(`{${envelopeTail('a', grouped.get('a')![0], 'now')}`), 'announce')
  })
})

test.group('Realtime | poll.status coalescing', () => {
  test('a burst of 2,000 votes publishes a handful of statuses, the last one current', async ({
    assert,
  }) => {
    const store = new MemoryRealtimeStore()
    const published: PollStatus[] = []
    const scheduler = new PollStatusScheduler({
      store: async () => store,
      throttleMs: () => 100,
      publish: async (messages) => {
        published.push(messages[0].data as PollStatus)
        assert.deepEqual(
          messages.map((entry) => entry.channel),
          ['meetings/5', 'meetings/5/polls/9']
        )
      },
    })
    let voted = 0
    const compute = async () => ({
      id: 9,
      meeting: 5,
      voted,
      total: 2000,
      voted_weight: voted,
      total_weight: 2000,
    })
    const started = Date.now()
    for (let index = 0; index < 2000; index++) {
      voted++
      await scheduler.schedule(5, 9, compute)
      if (index % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const elapsed = Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, 350))
    // At most one publication per 100 ms period (plus the leading one), never one per vote.
    assert.isAtMost(published.length, Math.ceil((elapsed + 350) / 100) + 1)
    assert.isAtLeast(published.length, 2)
    assert.equal(published.at(-1)!.voted, 2000)
    // Quiet afterwards: the loop stops once nothing changed.
    const count = published.length
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.equal(published.length, count)
    await store.close()
  })
})
