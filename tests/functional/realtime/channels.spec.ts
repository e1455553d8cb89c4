import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import { dbTime } from '#services/db_time'
import type { ApiClient } from '@japa/api-client'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import { proposalPayload } from '#transformers/proposal_transformer'
import Meeting from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'
import { systemActor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { hub } from '#realtime/hub'
import type Organisation from '#models/organisation'
import {
  asBrowser,
  givenOrganisation,
  givenUser,
  loginBrowser,
  type BrowserSession,
} from '#tests/helpers/world'
import { SseClient } from '#tests/helpers/sse'

async function streamFor(client: ApiClient, session: BrowserSession, subscribe: string[] = []) {
  const stream = await SseClient.open({ host: session.host, cookie: session.cookie })
  for (const channel of subscribe) await subscribeTo(client, session, stream, channel, 204)
  return stream
}

async function subscribeTo(
  client: ApiClient,
  session: BrowserSession,
  stream: SseClient,
  channel: string,
  status: number
) {
  const response = await asBrowser(client.post('/__transmit/subscribe'), session).json({
    uid: stream.uid,
    channel,
  })
  response.assertStatus(status)
}

const publish = (messages: Parameters<typeof publishAfterCommit>[1]) =>
  db.transaction(async (trx) => publishAfterCommit(trx, messages))

const notice = (channel: string, message: string) => ({
  channel,
  type: 'system.notice',
  data: { type: 'info', message },
})

/**
 * A meeting built from its rows (not CreateMeeting, which another module owns
 * and may change): a moderator through the real role action, and the
 * active_users component enabled.
 */
async function givenMeeting(organisation: Organisation) {
  const moderator = await givenUser(organisation)
  const meeting = await Meeting.create({
    organisationId: organisation.id,
    title: 'AGM',
    body: '',
    state: 'ongoing',
    public: false,
    visibleInLists: false,
    groupVotesActive: false,
    groupRolesActive: false,
    rev: 1,
  })
  await MeetingComponent.create({
    organisationId: organisation.id,
    meetingId: meeting.id,
    componentName: 'active_users',
    enabled: true,
    settings: {},
    rev: 1,
  })
  await roles(meeting, moderator.id, ['mo'], 'add')
  return { meeting, moderator }
}

const roles = (meeting: Meeting, userId: number, codes: string[], mode: 'add' | 'remove') =>
  new ChangeMeetingRoles().execute({
    meeting,
    userIds: [userId],
    roles: codes,
    mode,
    actor: systemActor('cli'),
  })

test.group('Realtime | snapshot and replay', () => {
  test('S48: the snapshot reports the cursor it reflects; buffered messages after it are the ones to apply', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation, { roles: ['org_manager'] })
    const session = await loginBrowser(client, host, user)
    const channel = channels.organisation(organisation.id)
    const stream = await streamFor(client, session, [channel])

    ;(
      await asBrowser(client.patch('/api/organisation'), session).json({ page_title: 'First' })
    ).assertStatus(200)
    await stream.waitFor((frames) => frames.length === 1)
    const snapshot = await asBrowser(client.get('/api/realtime/snapshot'), session).qs({ channel })
    snapshot.assertStatus(200)
    ;(
      await asBrowser(client.patch('/api/organisation'), session).json({ page_title: 'Second' })
    ).assertStatus(200)
    await stream.waitFor((frames) => frames.length === 2)

    const body = snapshot.body()
    assert.equal(body.channel, channel)
    assert.equal(body.epoch, stream.frames[0].payload.epoch)
    assert.equal(body.seq, stream.frames[0].payload.seq)
    assert.deepEqual(
      body.sections.map((section: { name: string; complete: boolean; failed: boolean }) => [
        section.name,
        section.complete,
        section.failed,
      ]),
      [
        ['organisation.organisation', true, false],
        ['organisation.roles', true, false],
      ]
    )
    assert.equal(body.sections[0].messages[0].type, 'organisation.changed')
    assert.equal(body.sections[0].messages[0].data.page_title, 'First')
    assert.deepEqual(body.sections[1].messages[0].data.assigned, ['org_manager'])
    // The client applies only buffered messages with seq > snapshot seq: exactly the second change.
    const toApply = stream.frames.filter((frame) => frame.payload.seq! > body.seq)
    assert.deepEqual(
      toApply.map((frame) => frame.payload.data.page_title),
      ['Second']
    )

    const only = await asBrowser(client.get('/api/realtime/snapshot'), session).qs({
      channel,
      sections: 'organisation.roles',
    })
    assert.deepEqual(
      only.body().sections.map((section: { name: string }) => section.name),
      ['organisation.roles']
    )
    stream.close()
  })

  test('snapshot and replay apply channel authorisation: 403 for a forbidden channel, 404 for an unknown one', async ({
    client,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const other = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    ;(
      await asBrowser(client.get('/api/realtime/snapshot'), session).qs({
        channel: channels.user(other.id),
      })
    ).assertStatus(403)
    ;(
      await asBrowser(client.get('/api/realtime/snapshot'), session).qs({ channel: 'nope/1' })
    ).assertStatus(404)
    ;(
      await asBrowser(client.get('/api/realtime/replay'), session).qs({
        channel: channels.user(other.id),
        epoch: 'x',
        after: 0,
      })
    ).assertStatus(403)
    ;(
      await client
        .get('/api/realtime/snapshot')
        .header('host', host)
        .qs({ channel: channels.user(user.id) })
    ).assertStatus(401)
  })

  test('S49: reconnect with a cursor receives exactly the missed messages; a lost range or another epoch is 410', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const channel = channels.user(user.id)
    const first = await streamFor(client, session, [channel])
    await publish([notice(channel, 'a'), notice(channel, 'b')])
    await first.waitFor((frames) => frames.length === 2)
    const last = first.frames[1].payload
    first.close()
    await first.waitClosed()

    // Missed while disconnected.
    await publish([notice(channel, 'c')])
    await publish([notice(channel, 'd')])
    const second = await streamFor(client, session, [channel])
    await publish([notice(channel, 'e')])
    await second.waitFor((frames) => frames.length === 1)

    const replay = await asBrowser(client.get('/api/realtime/replay'), session).qs({
      channel,
      epoch: last.epoch,
      after: last.seq,
    })
    replay.assertStatus(200)
    assert.equal(replay.body().epoch, last.epoch)
    assert.deepEqual(
      replay
        .body()
        .messages.map((envelope: { seq: number; data: { message: string } }) => [
          envelope.seq,
          envelope.data.message,
        ]),
      [
        [last.seq! + 1, 'c'],
        [last.seq! + 2, 'd'],
        [last.seq! + 3, 'e'],
      ]
    )
    // The live stream's message is the last replayed one: the client dedupes by seq.
    assert.equal(second.frames[0].payload.seq, last.seq! + 3)

    const otherEpoch = await asBrowser(client.get('/api/realtime/replay'), session).qs({
      channel,
      epoch: 'ffffffffffff',
      after: 0,
    })
    otherEpoch.assertStatus(410)
    assert.equal(otherEpoch.body().errors[0].code, 'realtime.replay_unavailable')

    // Shrink retention to the last two messages: the range after `last` is gone.
    const options = (
      hub.store as unknown as { options: { keepMessages: number; retentionMs: number } }
    ).options
    const saved = { ...options }
    Object.assign(options, { keepMessages: 2, retentionMs: 0 })
    try {
      await publish([notice(channel, 'f')])
      const lost = await asBrowser(client.get('/api/realtime/replay'), session).qs({
        channel,
        epoch: last.epoch,
        after: last.seq,
      })
      lost.assertStatus(410)
      const recent = await asBrowser(client.get('/api/realtime/replay'), session).qs({
        channel,
        epoch: last.epoch,
        after: last.seq! + 2,
      })
      recent.assertStatus(200)
      assert.lengthOf(recent.body().messages, 2)
    } finally {
      Object.assign(options, saved)
    }
    second.close()
  })
})

test.group('Realtime | meeting channels and revocation', () => {
  test('participants may subscribe the meeting channel, not the moderators channel; outsiders nothing', async ({
    client,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenMeeting(organisation)
    const pia = await givenUser(organisation)
    const nils = await givenUser(organisation)
    await roles(meeting, pia.id, ['pa'], 'add')
    const piaSession = await loginBrowser(client, host, pia)
    const nilsSession = await loginBrowser(client, host, nils)
    const modSession = await loginBrowser(client, host, moderator)

    const piaStream = await streamFor(client, piaSession)
    await subscribeTo(client, piaSession, piaStream, channels.meeting(meeting.id), 204)
    await subscribeTo(client, piaSession, piaStream, channels.participants(meeting.id), 204)
    await subscribeTo(client, piaSession, piaStream, channels.moderators(meeting.id), 403)
    await subscribeTo(client, piaSession, piaStream, channels.invites(meeting.id), 403)
    // Poll channels: poll.view, and the poll must belong to the meeting.
    const poll = async (state: string) => {
      const [row] = await db
        .table('polls')
        .insert({
          organisation_id: organisation.id,
          meeting_id: meeting.id,
          title: 'Poll',
          method_name: 'schulze',
          state,
          created_at: dbTime(DateTime.utc()),
          updated_at: dbTime(DateTime.utc()),
        })
        .returning('id')
      return Number(row.id ?? row)
    }
    const upcomingPoll = await poll('upcoming')
    const privatePoll = await poll('private')
    await subscribeTo(client, piaSession, piaStream, channels.poll(meeting.id, upcomingPoll), 204)
    await subscribeTo(client, piaSession, piaStream, channels.poll(meeting.id, privatePoll), 403)
    await subscribeTo(
      client,
      piaSession,
      piaStream,
      channels.poll(meeting.id + 1000, upcomingPoll),
      403
    )

    const nilsStream = await streamFor(client, nilsSession)
    await subscribeTo(client, nilsSession, nilsStream, channels.meeting(meeting.id), 403)
    ;(
      await asBrowser(client.get('/api/realtime/snapshot'), nilsSession).qs({
        channel: channels.meeting(meeting.id),
      })
    ).assertStatus(404)

    const modStream = await streamFor(client, modSession)
    await subscribeTo(client, modSession, modStream, channels.moderators(meeting.id), 204)
    await subscribeTo(client, modSession, modStream, channels.participants(meeting.id), 204)
    await subscribeTo(client, modSession, modStream, channels.poll(meeting.id, privatePoll), 204)
    for (const stream of [piaStream, nilsStream, modStream]) stream.close()
  })

  test('S50: losing a role revokes at once (channel.revoked); gaining one opens the channel', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting } = await givenMeeting(organisation)
    const max = await givenUser(organisation)
    await roles(meeting, max.id, ['pa'], 'add')
    const session = await loginBrowser(client, host, max)
    const stream = await streamFor(client, session, [
      channels.user(max.id),
      channels.meeting(meeting.id),
    ])
    await subscribeTo(client, session, stream, channels.moderators(meeting.id), 403)

    // Becoming moderator: roles.changed reaches the user, and the moderators channel now opens.
    await roles(meeting, max.id, ['mo'], 'add')
    await stream.waitFor((frames) => frames.some((frame) => frame.payload.type === 'roles.changed'))
    await subscribeTo(client, session, stream, channels.moderators(meeting.id), 204)
    await subscribeTo(client, session, stream, channels.invites(meeting.id), 204)
    await publish([notice(channels.moderators(meeting.id), 'for moderators 1')])
    await stream.waitFor((frames) =>
      frames.some((frame) => frame.payload.data?.message === 'for moderators 1')
    )

    // Losing mo: both moderator channels are revoked, the meeting channel stays.
    await roles(meeting, max.id, ['mo'], 'remove')
    await stream.waitFor(
      (frames) => frames.filter((frame) => frame.payload.type === 'channel.revoked').length === 2,
      5000,
      'two channel.revoked'
    )
    const revoked = stream
      .on(channels.user(max.id), 'channel.revoked')
      .map((frame) => frame.payload.data)
    assert.sameDeepMembers(revoked, [
      { channel: channels.moderators(meeting.id), reason: 'permission' },
      { channel: channels.invites(meeting.id), reason: 'permission' },
    ])
    await publish([
      notice(channels.moderators(meeting.id), 'for moderators 2'),
      notice(channels.meeting(meeting.id), 'for the meeting'),
    ])
    await stream.waitFor((frames) =>
      frames.some((frame) => frame.payload.data?.message === 'for the meeting')
    )
    await stream.settle(200)
    assert.isFalse(
      stream.frames.some((frame) => frame.payload.data?.message === 'for moderators 2')
    )
    await subscribeTo(client, session, stream, channels.moderators(meeting.id), 403)

    // Leaving the meeting entirely revokes the meeting channel too.
    await roles(meeting, max.id, ['pa'], 'remove')
    await stream.waitFor((frames) =>
      frames.some(
        (frame) =>
          frame.payload.type === 'channel.revoked' &&
          frame.payload.data.channel === channels.meeting(meeting.id)
      )
    )
    await publish([notice(channels.meeting(meeting.id), 'after leaving')])
    await stream.settle(300)
    assert.isFalse(stream.frames.some((frame) => frame.payload.data?.message === 'after leaving'))
    assert.isFalse(stream.closed)
    stream.close()
  })

  test('private agenda items never reach participants; an item turning private revokes its channel', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenMeeting(organisation)
    const pia = await givenUser(organisation)
    await roles(meeting, pia.id, ['pa'], 'add')
    const item = (state: 'private' | 'upcoming') =>
      AgendaItem.create({
        organisationId: organisation.id,
        meetingId: meeting.id,
        title: 'Item',
        body: '',
        state,
        tags: [],
      })
    const privateItem = await item('private')
    const openItem = await item('upcoming')
    const piaSession = await loginBrowser(client, host, pia)
    const modSession = await loginBrowser(client, host, moderator)

    const piaStream = await streamFor(client, piaSession, [channels.user(pia.id)])
    await subscribeTo(
      client,
      piaSession,
      piaStream,
      channels.agendaItem(meeting.id, privateItem.id),
      403
    )
    ;(
      await asBrowser(client.get('/api/realtime/snapshot'), piaSession).qs({
        channel: channels.agendaItem(meeting.id, privateItem.id),
      })
    ).assertStatus(404)
    await subscribeTo(
      client,
      piaSession,
      piaStream,
      channels.agendaItem(meeting.id, openItem.id),
      204
    )
    const modStream = await streamFor(client, modSession, [
      channels.agendaItem(meeting.id, privateItem.id),
    ])

    // Shared sections are cached per (channel, epoch, seq): rows written without a message come first.
    const proposal = (agendaItemId: number, propId: string) =>
      Proposal.create({
        organisationId: organisation.id,
        meetingId: meeting.id,
        agendaItemId,
        shortname: 'proposal',
        propId,
        body: '<p>Text</p>',
        title: '',
        state: 'published',
        tags: [propId],
        mentions: [],
        authorId: pia.id,
        meetingGroupId: null,
        asGroup: false,
        paragraphId: null,
        bodyDiffBrief: null,
        rev: 1,
      })
    const visible = await proposal(openItem.id, 'open-1')
    await proposal(privateItem.id, 'hidden-1')
    // Snapshots branch on the channel: participants never get the private item.
    const itemIds = async (session: BrowserSession, channel: string) => {
      const response = await asBrowser(client.get('/api/realtime/snapshot'), session).qs({
        channel,
      })
      response.assertStatus(200)
      const section = response
        .body()
        .sections.find((entry: { name: string }) => entry.name === 'agenda.items')
      return section.messages[0].items.map((entry: { id: number }) => entry.id)
    }
    assert.deepEqual(await itemIds(piaSession, channels.participants(meeting.id)), [openItem.id])
    assert.sameMembers(await itemIds(modSession, channels.moderators(meeting.id)), [
      privateItem.id,
      openItem.id,
    ])

    const proposalsOf = async (session: BrowserSession, channel: string) => {
      const response = await asBrowser(client.get('/api/realtime/snapshot'), session).qs({
        channel,
        sections: 'proposal.proposals',
      })
      return response.body().sections[0].messages[0].items
    }
    const reloaded = await Proposal.findInOrganisation(organisation.id, visible.id)
    assert.deepEqual(await proposalsOf(piaSession, channels.participants(meeting.id)), [
      JSON.parse(JSON.stringify(proposalPayload(reloaded!))),
    ])
    assert.lengthOf(await proposalsOf(modSession, channels.moderators(meeting.id)), 2)

    await publish([notice(channels.agendaItem(meeting.id, privateItem.id), 'private body')])
    await modStream.waitFor((frames) => frames.length === 1)
    await piaStream.settle(200)
    assert.isFalse(piaStream.frames.some((frame) => frame.payload.data?.message === 'private body'))

    // The agenda module turns the item private and asks for a re-check of its channel.
    openItem.state = 'private'
    await openItem.save()
    await hub.revalidateChannel(channels.agendaItem(meeting.id, openItem.id))
    await piaStream.waitFor((frames) =>
      frames.some((frame) => frame.payload.type === 'channel.revoked')
    )
    await publish([notice(channels.agendaItem(meeting.id, openItem.id), 'now private')])
    await piaStream.settle(200)
    assert.isFalse(piaStream.frames.some((frame) => frame.payload.data?.message === 'now private'))
    piaStream.close()
    modStream.close()
  })
})

test.group('Realtime | active users', () => {
  test('participants set their flag (201/200/204), see the list and the pushes; moderators purge', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenMeeting(organisation)
    const pia = await givenUser(organisation)
    const nils = await givenUser(organisation)
    await roles(meeting, pia.id, ['pa'], 'add')
    const piaSession = await loginBrowser(client, host, pia)
    const nilsSession = await loginBrowser(client, host, nils)
    const modSession = await loginBrowser(client, host, moderator)
    const path = `/api/meetings/${meeting.id}/active-users`
    const modStream = await streamFor(client, modSession, [channels.meeting(meeting.id)])

    ;(
      await asBrowser(client.post(`${path}/active`), piaSession).json({ active: true })
    ).assertStatus(201)
    ;(
      await asBrowser(client.post(`${path}/active`), piaSession).json({ active: true })
    ).assertStatus(200)
    ;(
      await asBrowser(client.post(`${path}/active`), nilsSession).json({ active: true })
    ).assertStatus(404)
    const invalid = await asBrowser(client.post(`${path}/active`), piaSession).json({
      active: 'maybe',
    })
    invalid.assertStatus(422)
    const list = await asBrowser(client.get(path), piaSession)
    assert.deepEqual(list.body(), { meeting: meeting.id, users: [pia.id] })
    await modStream.waitFor((frames) =>
      frames.some((frame) => frame.payload.type === 'active_user.changed')
    )
    assert.deepEqual(dataOf(modStream, 'active_user.changed')[0], {
      meeting: meeting.id,
      user: pia.id,
      active: true,
    })

    const snapshot = await asBrowser(client.get('/api/realtime/snapshot'), modSession).qs({
      channel: channels.meeting(meeting.id),
    })
    const section = snapshot
      .body()
      .sections.find((entry: { name: string }) => entry.name === 'active.users')
    assert.deepEqual(section.messages, [
      { type: 'active_user.all', data: { meeting: meeting.id, users: [pia.id] } },
    ])

    ;(await asBrowser(client.post(`${path}/purge`), piaSession).json({ hours: 1 })).assertStatus(
      403
    )
    // Mia has a stream (a connection row with recent activity); Pia has none: only Pia is purged.
    const mia = await givenUser(organisation)
    await roles(meeting, mia.id, ['pa'], 'add')
    const miaSession = await loginBrowser(client, host, mia)
    const miaStream = await streamFor(client, miaSession)
    await new Promise((resolve) => setTimeout(resolve, 200)) // the connection row is written after the stream opens
    ;(
      await asBrowser(client.post(`${path}/active`), miaSession).json({ active: true })
    ).assertStatus(201)
    const purged = await asBrowser(client.post(`${path}/purge`), modSession).json({ hours: 0 })
    purged.assertStatus(200)
    assert.deepEqual(purged.body(), { count: 1 })
    assert.deepEqual((await asBrowser(client.get(path), modSession)).body().users, [mia.id])
    miaStream.close()
    await modStream.waitFor((frames) =>
      frames.some((frame) => frame.payload.type === 'active_user.all')
    )
    ;(
      await asBrowser(client.post(`${path}/active`), piaSession).json({ active: false })
    ).assertStatus(204)

    // Leaving the meeting removes the flag.
    ;(
      await asBrowser(client.post(`${path}/active`), piaSession).json({ active: true })
    ).assertStatus(201)
    await roles(meeting, pia.id, ['pa'], 'remove')
    assert.deepEqual((await asBrowser(client.get(path), modSession)).body().users, [mia.id])
    modStream.close()
  })
})

function dataOf(client: SseClient, type: string) {
  return client.frames
    .filter((frame) => frame.payload.type === type)
    .map((frame) => frame.payload.data)
}
