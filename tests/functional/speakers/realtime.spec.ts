import { test } from '@japa/runner'
import CreateMeeting from '#actions/meetings/create_meeting'
import { createRoomWithSpeakerSystem } from '#actions/rooms/rooms'
import { systemActor } from '#services/audit_log'
import { call, givenRunningList, givenSpeakerWorld } from '#tests/helpers/speakers'
import { asBrowser, givenUser, loginBrowser } from '#tests/helpers/world'

test.group('Speakers | meeting creation with a room (S55) and realtime snapshots', () => {
  test('a meeting created with {room, sls} has the room and its system; the meeting snapshot lists them', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const cleo = await givenUser(world.organisation, { roles: ['meeting_creator'] })
    const meeting = await new CreateMeeting().execute({
      organisation: world.organisation,
      title: 'AGM',
      erPolicyName: 'auto_before_poll',
      creator: cleo,
      actor: systemActor('cli'),
      within: async (trx, created) => {
        await createRoomWithSpeakerSystem(
          trx,
          created,
          {
            room: { title: 'Plenary' },
            sls: {
              method_name: 'simple',
              safe_positions: 1,
              meeting_roles_to_speaker: ['di'],
              settings: null,
              show_time: false,
            },
          },
          systemActor('cli')
        )
      },
    })
    const session = await loginBrowser(client, world.host, cleo)
    const rooms = (await asBrowser(client.get(`/api/rooms?meeting=${meeting.id}`), session)).body()
      .data
    assert.equal(rooms[0].title, 'Plenary')
    const systems = (
      await asBrowser(client.get(`/api/speaker-list-systems?meeting=${meeting.id}`), session)
    ).body().data
    assert.include(systems[0], { method_name: 'simple', safe_positions: 1, room: rooms[0].id })

    const snapshot = await asBrowser(
      client.get(`/api/realtime/snapshot?channel=meetings/${meeting.id}`),
      session
    )
    snapshot.assertStatus(200)
    const sections = Object.fromEntries(
      snapshot.body().sections.map((section: any) => [section.name, section])
    )
    assert.equal(sections['room.rooms'].messages[0].items[0].title, 'Plenary')
    assert.equal(sections['speaker.systems'].messages[0].items[0].method_name, 'simple')
  })

  test('bad sls settings are reported on the sls field and roll everything back', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    let error: any = null
    try {
      await new CreateMeeting().execute({
        organisation: world.organisation,
        title: 'Broken',
        creator: world.mia,
        actor: systemActor('cli'),
        within: (trx, created) =>
          createRoomWithSpeakerSystem(
            trx,
            created,
            { room: { title: 'R' }, sls: { safe_positions: 7 } },
            systemActor('cli')
          ).then(() => undefined),
      })
    } catch (caught) {
      error = caught
    }
    assert.equal(error?.messages?.[0]?.field, 'sls.safe_positions')
    const { default: Meeting } = await import('#models/meeting')
    assert.isNull(
      await Meeting.forOrganisation(world.organisation.id).where('title', 'Broken').first()
    )
  })

  test('room channel: participants subscribe, outsiders cannot; the snapshot holds the active list and its turns', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { roomId, listId } = await givenRunningList(client, world)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const channel = `meetings/${world.meeting.id}/rooms/${roomId}`
    const snapshot = await call(
      client,
      world,
      world.pia,
      'get',
      `/api/realtime/snapshot?channel=${channel}`
    )
    snapshot.assertStatus(200)
    const messages = snapshot.body().sections.flatMap((section: any) => section.messages)
    assert.deepEqual(
      messages.map((message: any) => message.type),
      ['room.highlighted', 'speaker_list.changed', 'speaker.changed.batch']
    )
    assert.deepEqual(messages[1].data.queue, [world.dan.id])
    assert.equal(messages[2].items[0].user, world.dan.id)
    ;(
      await call(client, world, world.outsider, 'get', `/api/realtime/snapshot?channel=${channel}`)
    ).assertStatus(404)

    const listChannel = `meetings/${world.meeting.id}/speaker-lists/${listId}`
    ;(
      await call(client, world, world.pia, 'get', `/api/realtime/snapshot?channel=${listChannel}`)
    ).assertStatus(200)
    ;(
      await call(
        client,
        world,
        world.outsider,
        'get',
        `/api/realtime/snapshot?channel=${listChannel}`
      )
    ).assertStatus(404)
    // A room of another meeting under this meeting's path does not exist.
    ;(
      await call(
        client,
        world,
        world.pia,
        'get',
        `/api/realtime/snapshot?channel=meetings/${world.meeting.id + 1000}/rooms/${roomId}`
      )
    ).assertStatus(404)
  })
})

test.group('Speakers | S63 over a real SSE stream', () => {
  test('a moderator subscribed to the room and agenda item channels receives the session in order', async ({
    client,
    assert,
  }) => {
    const { SseClient } = await import('#tests/helpers/sse')
    const world = await givenSpeakerWorld(client)
    const { roomId, listId } = await givenRunningList(client, world)
    const session = await world.login(world.mia)
    const stream = await SseClient.open({ host: world.host, cookie: session.cookie })
    const roomChannel = `meetings/${world.meeting.id}/rooms/${roomId}`
    const itemChannel = `meetings/${world.meeting.id}/agenda-items/${world.item.id}`
    for (const channel of [roomChannel, itemChannel]) {
      ;(
        await asBrowser(client.post('/__transmit/subscribe'), session).json({
          uid: stream.uid,
          channel,
        })
      ).assertStatus(204)
    }
    // An outsider's subscription is refused.
    const outsider = await world.login(world.outsider)
    const foreign = await SseClient.open({ host: world.host, cookie: outsider.cookie })
    const refused = await asBrowser(client.post('/__transmit/subscribe'), outsider).json({
      uid: foreign.uid,
      channel: roomChannel,
    })
    assert.isAtLeast(refused.status(), 400)
    foreign.close()

    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    await stream.waitFor((frames) =>
      frames.some(
        (frame) => frame.channel === itemChannel && frame.payload.type === 'speaker_list.changed'
      )
    )
    const turnId = stream.on(roomChannel, 'speaker.changed')[0]?.payload.data.id
    await call(client, world, world.mia, 'post', `/api/speakers/${turnId}/start`)
    await call(client, world, world.mia, 'post', `/api/speakers/${turnId}/stop`)
    await stream.waitFor(
      (frames) =>
        frames.filter(
          (frame) => frame.channel === roomChannel && frame.payload.type === 'speaker_list.changed'
        ).length === 3
    )
    const room = stream.on(roomChannel).map((frame) => frame.payload)
    assert.deepEqual(
      room.map((payload) => payload.type),
      [
        'speaker.changed',
        'speaker_list.changed',
        'speaker.changed',
        'speaker_list.changed',
        'speaker.changed',
        'speaker_list.changed',
      ]
    )
    // Sequence numbers grow by one per message on the channel (api.md §7.3).
    const seqs = room.map((payload) => payload.seq!)
    assert.deepEqual(
      seqs,
      seqs.map((_, index) => seqs[0] + index)
    )
    assert.equal(room[3].data.current, world.dan.id)
    // The start is announced for assistive technology ("your turn" for Dan, api.md §7.3); the stop is not.
    assert.deepInclude(room[2].announce, { key: 'speaker.started' })
    assert.equal(room[2].announce?.params.user, world.dan.id)
    assert.isUndefined(room[0].announce)
    assert.isUndefined(room[4].announce)
    assert.isAtLeast(room[4].data.seconds, 1)
    assert.deepEqual(room[5].data.queue, [])
    stream.close()
  })
})
