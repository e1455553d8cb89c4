import { test } from '@japa/runner'
import { channels } from '#realtime/channels'
import { createToken, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import { SseClient } from '#tests/helpers/sse'
import { AppInstance } from '#tests/helpers/app_instance'
import { redisReachable } from '#tests/helpers/redis'

/*
 | Two real application processes on the test database with the Redis
 | transport: a change made on either instance reaches streams on both, with
 | one sequence per channel, and a subscribe request may reach the instance
 | that does not hold the stream.
 */
test.group('Realtime | two instances', () => {
  test('both instances deliver a change made on either, with one seq per channel', async ({
    client,
    assert,
  }) => {
    if (!(await redisReachable())) {
      console.log(
        '  SKIPPED: Redis is not reachable on REDIS_HOST:REDIS_PORT; the two-instance test needs it (CI runs Redis)'
      )
      return
    }
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const member = await givenUser(organisation)
    const managerToken = await createToken(client, await loginBrowser(client, host, manager))
    const memberToken = await createToken(client, await loginBrowser(client, host, member))
    const base = Number(process.env.PORT) + 1
    const instances: AppInstance[] = []
    const streams: SseClient[] = []
    try {
      instances.push(
        ...(await Promise.all(
          [base, base + 1].map((port) =>
            AppInstance.start(port, host, { TRANSMIT_TRANSPORT: 'redis' })
          )
        ))
      )
      const [a, b] = instances
      const channel = channels.organisation(organisation.id)

      // One stream on each instance, subscribed through its own instance; a third stream on A
      // subscribed through B (the subscribe is forwarded to the instance holding the stream).
      const open = async (streamOn: AppInstance, subscribeOn: AppInstance) => {
        const ticket = await streamOn.json('POST', '/api/realtime/tickets', host, memberToken)
        assert.equal(ticket.status, 200)
        const stream = await SseClient.open({
          host,
          ticket: ticket.body.ticket,
          port: streamOn.port,
        })
        streams.push(stream)
        assert.equal(stream.status, 200)
        const subscribed = await subscribeOn.json(
          'POST',
          '/__transmit/subscribe',
          host,
          memberToken,
          { uid: stream.uid, channel }
        )
        assert.equal(subscribed.status, 204, JSON.stringify(subscribed.body))
        return stream
      }
      const onA = await open(a, a)
      const onB = await open(b, b)
      const forwarded = await open(a, b)

      const onANotice = await a.json('PATCH', '/api/organisation', host, managerToken, {
        page_title: 'From A',
      })
      assert.equal(onANotice.status, 200)
      const onBNotice = await b.json('PATCH', '/api/organisation', host, managerToken, {
        page_title: 'From B',
      })
      assert.equal(onBNotice.status, 200)

      for (const stream of [onA, onB, forwarded]) {
        await stream.waitFor((frames) => frames.length >= 2, 10_000, 'two organisation.changed')
        assert.deepEqual(
          stream.frames.map((frame) => frame.payload.data.page_title),
          ['From A', 'From B']
        )
        const [first, second] = stream.frames.map((frame) => frame.payload)
        assert.equal(second.seq, first.seq! + 1)
        assert.equal(second.epoch, first.epoch)
      }
      // All instances saw the same envelopes.
      assert.deepEqual(
        onA.frames.map((frame) => frame.payload),
        onB.frames.map((frame) => frame.payload)
      )

      // Replay through either instance reads the shared log.
      const cursor = onA.frames[0].payload
      const replay = await b.json(
        'GET',
        `/api/realtime/replay?channel=${encodeURIComponent(channel)}&epoch=${cursor.epoch}&after=${cursor.seq}`,
        host,
        memberToken
      )
      assert.equal(replay.status, 200)
      assert.deepEqual(
        replay.body.messages.map(
          (envelope: { data: { page_title: string } }) => envelope.data.page_title
        ),
        ['From B']
      )
    } finally {
      for (const stream of streams) stream.close()
      await Promise.all(instances.map((instance) => instance.stop()))
    }
  }).timeout(120_000)
})
