import { test } from '@japa/runner'
import { IncomingMessage, ServerResponse, request } from 'node:http'
import { Socket } from 'node:net'
import { randomUUID } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { DateTime } from 'luxon'
import emitter from '@adonisjs/core/services/emitter'
import server from '@adonisjs/core/services/server'
import type { HttpContext } from '@adonisjs/core/http'
import RealtimeConnection from '#models/realtime_connection'
import { channels } from '#realtime/channels'
import { hub } from '#realtime/hub'
import { forgetTouches } from '#realtime/presence'
import { dbTime } from '#services/db_time'
import { publishNow } from '#realtime/publish'
import { PING_EVENT } from '#realtime/sse'
import { openStream } from '#realtime/streams'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import { SseClient } from '#tests/helpers/sse'

/** A full GC without --expose-gc on the test process. */
function collectGarbage() {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

/** A raw stream: the bytes as they arrive. */
function rawStream(host: string, cookie: string) {
  const uid = randomUUID()
  let text = ''
  const req = request({
    host: '127.0.0.1',
    port: Number(process.env.PORT),
    path: `/__transmit/events?uid=${uid}`,
    headers: { host, cookie, accept: 'text/event-stream' },
  })
  const opened = new Promise<Record<string, unknown>>((resolve, reject) => {
    req.on('response', (res) => {
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      resolve(res.headers)
    })
    req.on('error', reject)
  })
  req.end()
  return { uid, opened, text: () => text, close: () => req.destroy() }
}

async function until(predicate: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test.group('Realtime | memory of idle streams', () => {
  test('an open stream keeps nothing of its request: its HttpContext is collected, the stream still delivers', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)

    // Adonis keeps every request context until its response finishes while
    // `http:request_completed` has a listener: there must be none.
    assert.isFalse(emitter.hasListeners('http:request_completed'))

    const contexts: Array<{ url: string; ref: WeakRef<HttpContext> }> = []
    const create = server.createHttpContext
    server.createHttpContext = function (this: typeof server, ...args) {
      const ctx = create.apply(this, args)
      contexts.push({ url: ctx.request.url(), ref: new WeakRef(ctx) })
      return ctx
    }
    let stream: SseClient
    try {
      stream = await SseClient.open({ host, cookie: session.cookie })
      await stream.waitFor(() => stream.retry !== null, 2000, 'the retry hint')
    } finally {
      server.createHttpContext = create
    }
    const events = contexts.filter((entry) => entry.url === '/__transmit/events')
    assert.lengthOf(events, 1)

    try {
      const subscribed = await asBrowser(client.post('/__transmit/subscribe'), session).json({
        uid: stream.uid,
        channel: channels.user(user.id),
      })
      subscribed.assertStatus(204)
      const local = hub.streams.get(stream.uid)!
      assert.notProperty(local.response, 'parent')

      await until(async () => {
        await tick()
        collectGarbage()
        return events[0].ref.deref() === undefined
      }, 'the stream request context to be collected')

      await publishNow([{ channel: channels.user(user.id), type: 'notice', data: { n: 1 } }])
      await stream.waitFor((frames) => frames.length === 1, 5000, 'the notice')
      assert.equal(stream.frames[0].payload.type, 'notice')
      assert.deepEqual(stream.frames[0].payload.data, { n: 1 })
    } finally {
      stream.close()
    }
  })

  test('the stream speaks Transmit: headers, :ok, retry hint, one data line per event, shared keep-alive', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const stream = rawStream(host, session.cookie)
    try {
      const headers = await stream.opened
      assert.equal(headers['content-type'], 'text/event-stream')
      assert.equal(headers['x-accel-buffering'], 'no')
      assert.include(String(headers['cache-control']), 'no-cache')
      await until(() => stream.text().includes('retry: '), 'the retry hint')
      assert.match(stream.text(), /^:ok\n\nretry: \d{4}\n\n$/)

      await asBrowser(client.post('/__transmit/subscribe'), session)
        .json({ uid: stream.uid, channel: channels.user(user.id) })
        .then((response) => response.assertStatus(204))
      const before = stream.text().length
      hub.ping()
      await until(() => stream.text().length > before, 'the keep-alive')
      assert.equal(stream.text().slice(before), PING_EVENT)
      assert.equal(PING_EVENT, 'data: {"channel":"$$transmit/ping","payload":{}}\n\n')

      const afterPing = stream.text().length
      await publishNow([
        { channel: channels.user(user.id), type: 'notice', data: { text: 'a\nb' } },
      ])
      await until(() => stream.text().length > afterPing, 'the notice')
      const event = stream.text().slice(afterPing)
      assert.match(event, /^data: \{"channel":"users\/\d+","payload":\{.*\}\}\n\n$/)
      assert.deepEqual(JSON.parse(event.slice(6)).payload.data, { text: 'a\nb' })
    } finally {
      stream.close()
    }
  })

  test('an authenticated API request records activity on the user’s open streams', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    forgetTouches()
    const stream = await SseClient.open({ host, cookie: session.cookie })
    try {
      const row = async () =>
        RealtimeConnection.forOrganisation(organisation.id)
          .where('stream_uid', stream.uid)
          .whereNull('closed_at')
          .first()
      await until(async () => (await row()) !== null, 'the connection row')
      const long = DateTime.utc().minus({ hours: 2 }).startOf('second')
      await RealtimeConnection.forOrganisation(organisation.id)
        .where('stream_uid', stream.uid)
        .update({ last_action: dbTime(long) })
      assert.equal((await row())!.lastAction.toMillis(), long.toMillis())

      const response = await asBrowser(client.get('/api/user'), session)
      response.assertStatus(200)
      await until(
        async () => (await row())!.lastAction.toMillis() > long.toMillis(),
        'last_action to move'
      )
    } finally {
      stream.close()
    }
  })

  test('a stream whose client left while it was being authorised is not kept', async ({
    assert,
  }) => {
    const response = new ServerResponse(new IncomingMessage(new Socket()))
    response.destroy()
    const uid = randomUUID()
    const opened = openStream({
      uid,
      userId: 1,
      organisationId: 1,
      authRef: null,
      response,
      headers: {},
    })
    assert.isNull(opened)
    assert.isFalse(hub.streams.has(uid))
  })
})
