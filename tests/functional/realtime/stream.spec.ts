import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { hub } from '#realtime/hub'
import {
  asBearer,
  asBrowser,
  createToken,
  givenOrganisation,
  givenUser,
  loginBrowser,
  type BrowserSession,
} from '#tests/helpers/world'
import { SseClient } from '#tests/helpers/sse'
import type { ApiClient } from '@japa/api-client'

/** Opens a real stream with the browser cookie and subscribes to channels through the real endpoint. */
async function streamFor(client: ApiClient, session: BrowserSession, subscribe: string[] = []) {
  const stream = await SseClient.open({ host: session.host, cookie: session.cookie })
  for (const channel of subscribe) {
    const response = await asBrowser(client.post('/__transmit/subscribe'), session).json({
      uid: stream.uid,
      channel,
    })
    response.assertStatus(204)
  }
  return stream
}

async function publishInTransaction(messages: Parameters<typeof publishAfterCommit>[1]) {
  await db.transaction(async (trx) => publishAfterCommit(trx, messages))
}

test.group('Realtime | stream and subscribe', () => {
  test('a logged-in user opens a stream with a randomised retry hint; anonymous streams are refused', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const stream = await SseClient.open({ host, cookie: session.cookie })
    await stream.waitFor(() => stream.retry !== null, 2000, 'the retry hint')
    assert.equal(stream.status, 200)
    assert.isAtLeast(stream.retry!, 1000)
    assert.isAtMost(stream.retry!, 5000)
    stream.close()

    const anonymous = await SseClient.open({ host })
    assert.equal(anonymous.status, 401)
    anonymous.close()
  })

  test('unauthorised subscribe is refused: other user, other organisation, unknown channel, no CSRF, other stream', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const other = await givenOrganisation()
    const pia = await givenUser(organisation)
    const nils = await givenUser(organisation)
    const piaSession = await loginBrowser(client, host, pia)
    const nilsSession = await loginBrowser(client, host, nils)
    const stream = await streamFor(client, piaSession)

    const attempt = (session: BrowserSession, channel: string, uid = stream.uid, csrf = true) =>
      asBrowser(client.post('/__transmit/subscribe'), session, { csrf }).json({ uid, channel })

    ;(await attempt(piaSession, channels.user(pia.id))).assertStatus(204)
    ;(await attempt(piaSession, channels.user(nils.id))).assertStatus(403)
    ;(await attempt(piaSession, channels.organisation(other.organisation.id))).assertStatus(403)
    ;(await attempt(piaSession, 'anything/else')).assertStatus(403)
    // Non-canonical spellings of an allowed channel are not channels.
    ;(await attempt(piaSession, `users/0${pia.id}`)).assertStatus(403)
    const noCsrf = await attempt(
      piaSession,
      channels.organisation(organisation.id),
      stream.uid,
      false
    )
    noCsrf.assertStatus(403)
    assert.equal(noCsrf.body().errors[0].code, 'auth.csrf_failed')
    // S51: Nils knows Pia's stream id but cannot add anything to it.
    ;(await attempt(nilsSession, channels.user(nils.id))).assertStatus(403)
    assert.deepEqual([...hub.streams.get(stream.uid)!.channels], [channels.user(pia.id)])

    // Nothing published to refused channels reaches the stream.
    await publishInTransaction([
      {
        channel: channels.user(nils.id),
        type: 'system.notice',
        data: { type: 'info', message: 'for Nils' },
      },
      {
        channel: channels.user(pia.id),
        type: 'system.notice',
        data: { type: 'info', message: 'for Pia' },
      },
    ])
    await stream.waitFor((frames) => frames.length >= 1)
    await stream.settle(200)
    assert.deepEqual(
      stream.frames.map((frame) => frame.payload.data.message),
      ['for Pia']
    )
    stream.close()
  })

  test('an organisation change is pushed with the full envelope after commit', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const member = await givenUser(organisation)
    const managerSession = await loginBrowser(client, host, manager)
    const memberSession = await loginBrowser(client, host, member)
    const stream = await streamFor(client, memberSession, [channels.organisation(organisation.id)])

    const response = await asBrowser(client.patch('/api/organisation'), managerSession)
      .header('x-request-id', 'rid-org-1')
      .json({ page_title: 'Annual meeting' })
    response.assertStatus(200)

    await stream.waitFor((frames) => frames.length === 1, 5000, 'organisation.changed')
    const { payload } = stream.frames[0]
    assert.equal(stream.frames[0].channel, channels.organisation(organisation.id))
    assert.equal(payload.v, 1)
    assert.equal(payload.type, 'organisation.changed')
    assert.equal(payload.channel, channels.organisation(organisation.id))
    assert.match(payload.epoch!, /^[0-9a-f]{12}$/)
    assert.isAbove(payload.seq!, 0)
    assert.match(payload.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    assert.equal(payload.rid, 'rid-org-1')
    assert.equal(payload.data.id, organisation.id)
    assert.equal(payload.data.page_title, 'Annual meeting')
    assert.equal(payload.data.rev, response.body().rev)
    stream.close()
  })

  test('no message for a rolled-back transaction; seq stays contiguous', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const channel = channels.user(user.id)
    const stream = await streamFor(client, session, [channel])

    await publishInTransaction([
      { channel, type: 'system.notice', data: { type: 'info', message: 'one' } },
    ])
    await db
      .transaction(async (trx) => {
        publishAfterCommit(trx, [
          { channel, type: 'system.notice', data: { type: 'info', message: 'rolled back' } },
        ])
        throw new Error('abort')
      })
      .catch(() => undefined)
    await publishInTransaction([
      { channel, type: 'system.notice', data: { type: 'info', message: 'two' } },
    ])

    await stream.waitFor((frames) => frames.length >= 2)
    await stream.settle(200)
    assert.deepEqual(
      stream.frames.map((frame) => frame.payload.data.message),
      ['one', 'two']
    )
    assert.equal(stream.frames[1].payload.seq, stream.frames[0].payload.seq! + 1)
    stream.close()
  })

  test('three or more same-type messages of one transaction become one batch; two stay single', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const channel = channels.user(user.id)
    const stream = await streamFor(client, session, [channel])
    const note = (id: number) => ({ channel, type: 'note.changed', data: { id, rev: 1 } })

    await publishInTransaction([
      note(1),
      { channel, type: 'last_read.changed', data: { agenda_item: 9 } },
      note(2),
      note(3),
    ])
    await publishInTransaction([note(4), note(5)])

    await stream.waitFor((frames) => frames.length >= 4, 5000, 'four frames')
    const summary = stream.frames.map((frame) => [
      frame.payload.type,
      frame.payload.items?.map((item: { id: number }) => item.id) ?? frame.payload.data.id ?? null,
    ])
    // The batch takes the position of its first item ("first-added group first", api.md §7.8).
    assert.deepEqual(summary, [
      ['note.changed.batch', [1, 2, 3]],
      ['last_read.changed', null],
      ['note.changed', 4],
      ['note.changed', 5],
    ])
    const seqs = stream.frames.map((frame) => frame.payload.seq!)
    assert.deepEqual(seqs, [seqs[0], seqs[0] + 1, seqs[0] + 2, seqs[0] + 3])
    assert.notProperty(stream.frames[0].payload, 'data')
    stream.close()
  })

  test('bearer clients open the stream with a single-use ticket', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const token = await createToken(client, session)

    const issued = await asBearer(client.post('/api/realtime/tickets'), host, token)
    issued.assertStatus(200)
    assert.equal(issued.body().expires_in, 60)
    const stream = await SseClient.open({ host, ticket: issued.body().ticket })
    assert.equal(stream.status, 200)
    const subscribe = await asBearer(client.post('/__transmit/subscribe'), host, token).json({
      uid: stream.uid,
      channel: channels.user(user.id),
    })
    subscribe.assertStatus(204)
    await publishInTransaction([
      {
        channel: channels.user(user.id),
        type: 'system.notice',
        data: { type: 'info', message: 'hi' },
      },
    ])
    await stream.waitFor((frames) => frames.length === 1)

    const reused = await SseClient.open({ host, ticket: issued.body().ticket })
    assert.equal(reused.status, 401)
    reused.close()
    const otherHost = await givenOrganisation()
    const again = await asBearer(client.post('/api/realtime/tickets'), host, token)
    const wrongHost = await SseClient.open({ host: otherHost.host, ticket: again.body().ticket })
    assert.equal(wrongHost.status, 401)
    wrongHost.close()
    stream.close()
  })

  test('logout closes the streams of that login with system.closing 4001; everywhere closes all', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const first = await loginBrowser(client, host, user)
    const second = await loginBrowser(client, host, user)
    const a = await streamFor(client, first)
    const b = await streamFor(client, second)
    const c = await streamFor(client, second)

    ;(await asBrowser(client.post('/api/user/logout'), first).json({})).assertStatus(204)
    await a.waitClosed()
    assert.deepEqual(
      a.frames.map((frame) => [frame.payload.type, frame.payload.data.code, frame.payload.seq]),
      [['system.closing', 4001, null]]
    )
    await b.settle(200)
    assert.isFalse(b.closed)

    ;(
      await asBrowser(client.post('/api/user/logout'), second).json({ everywhere: true })
    ).assertStatus(204)
    await b.waitClosed()
    await c.waitClosed()
    assert.equal(c.frames.at(-1)!.payload.type, 'system.closing')
  })

  test('a user with more streams than the limit loses the oldest with system.closing 4003', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const streams: SseClient[] = []
    for (let index = 0; index < 21; index++) {
      streams.push(await SseClient.open({ host, cookie: session.cookie }))
      // Opening order must be the row order the limit looks at.
      await new Promise((resolve) => setTimeout(resolve, 15))
    }
    await streams[0].waitClosed()
    assert.equal(streams[0].frames.at(-1)!.payload.data.code, 4003)
    await streams[20].settle(200)
    assert.isFalse(streams[20].closed)
    for (const stream of streams) stream.close()
  })
})

test.group('Realtime | helper endpoints', () => {
  test('versions (anyone), heartbeat (authenticated)', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const versions = await client.get('/api/realtime/versions').header('host', host)
    versions.assertStatus(200)
    assert.properties(versions.body(), ['backend', 'frontend'])
    ;(
      await client.post('/api/realtime/heartbeat').header('host', host).json({ visible: true })
    ).assertStatus(401)

    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const beat = await asBrowser(client.post('/api/realtime/heartbeat'), session).json({
      visible: true,
    })
    beat.assertStatus(200)
    assert.match(beat.body().server_time, /Z$/)
    const invalid = await asBrowser(client.post('/api/realtime/heartbeat'), session).json({})
    invalid.assertStatus(422)
    assert.equal(invalid.body().errors[0].field, 'visible')
  })
})
