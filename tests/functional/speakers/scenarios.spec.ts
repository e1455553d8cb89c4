import { test } from '@japa/runner'
import Speaker from '#models/speaker'
import AgendaItem from '#models/agenda_item'
import SpeakerList from '#models/speaker_list'
import { captureMessages, call, givenRunningList, givenSpeakerWorld } from '#tests/helpers/speakers'

/** The speaker scenarios of scenarios.md §6 (S35–S39) and S63, through the HTTP API. */
test.group('Speakers | scenarios', () => {
  test('S35 entering requires a qualifying role and is idempotent', async ({ client, assert }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world)
    let response = await call(
      client,
      world,
      world.dan,
      'post',
      `/api/speaker-lists/${listId}/enter`
    )
    response.assertStatus(201)
    assert.deepEqual(response.body().queue, [world.dan.id])
    response = await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    response.assertStatus(200)
    assert.deepEqual(response.body().queue, [world.dan.id])
    response = await call(client, world, world.pia, 'post', `/api/speaker-lists/${listId}/enter`)
    response.assertStatus(403)
    assert.equal(response.body().errors[0].code, 'permission.denied')
    // Outsiders cannot even see the list (404, existence not revealed).
    response = await call(
      client,
      world,
      world.outsider,
      'post',
      `/api/speaker-lists/${listId}/enter`
    )
    response.assertStatus(404)
  })

  test('S36 starting a speaker stops the current one', async ({ client, assert }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, roomId } = await givenRunningList(client, world)
    const a = (
      await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    ).body()
    await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    const turns = (
      await call(client, world, world.mia, 'get', `/api/speakers?speaker_list=${listId}`)
    ).body().data
    const turnA = turns.find((turn: any) => turn.user === world.dan.id)
    const turnB = turns.find((turn: any) => turn.user === world.eve.id)
    assert.deepEqual(a.queue, [world.dan.id])
    ;(await call(client, world, world.mia, 'post', `/api/speakers/${turnA.id}/start`)).assertStatus(
      200
    )
    // A started 10 seconds ago.
    const row = await Speaker.findInOrganisation(world.organisation.id, turnA.id)
    row!.startedMs = row!.startedMs! - 10_000
    row!.runningSinceMs = row!.runningSinceMs! - 10_000
    await row!.save()

    const capture = captureMessages()
    const started = await call(client, world, world.mia, 'post', `/api/speakers/${turnB.id}/start`)
    capture.stop()
    started.assertStatus(200)
    assert.isNotNull(started.body().started)
    const doneA = (await call(client, world, world.mia, 'get', `/api/speakers/${turnA.id}`)).body()
    assert.isAtLeast(doneA.seconds, 10)
    assert.isAtMost(doneA.seconds, 12)
    const list = (
      await call(client, world, world.mia, 'get', `/api/speaker-lists/${listId}`)
    ).body()
    assert.equal(list.current, world.eve.id)
    assert.notInclude(list.queue, world.dan.id)
    const roomChannel = `meetings/${world.meeting.id}/rooms/${roomId}`
    assert.deepEqual(capture.types(roomChannel), [
      'speaker.changed',
      'speaker.changed',
      'speaker_list.changed',
    ])
    assert.deepEqual(
      capture
        .on(roomChannel)
        .slice(0, 2)
        .map((message: any) => message.data.id),
      [turnA.id, turnB.id]
    )
  })

  test('S37 priority favours those who spoke less, respecting safe positions', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world, {
      method_name: 'priority',
      settings: { max_times: 0 },
      safe_positions: 0,
    })
    const mod = (method: 'post' | 'patch' | 'get', url: string, body?: any) =>
      call(client, world, world.mia, method, url, body)
    // A (Dan) speaks twice.
    for (let i = 0; i < 2; i++) {
      await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
      const queued = (
        await mod('get', `/api/speakers?speaker_list=${listId}&finished=false`)
      ).body().data[0]
      ;(await mod('post', `/api/speakers/${queued.id}/start`)).assertStatus(200)
      ;(await mod('post', `/api/speakers/${queued.id}/stop`)).assertStatus(200)
    }
    // Queue [A, B]; the reorder happens when a third user enters.
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    let list = (
      await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/enter`)
    ).body()
    assert.deepEqual(list.queue, [world.eve.id, world.mia.id, world.dan.id])

    // Same list with safe_positions 1: A stays first.
    const again = await givenSpeakerWorld(client)
    const second = await givenRunningList(client, again, {
      method_name: 'priority',
      settings: { max_times: 0 },
      safe_positions: 1,
    })
    for (let i = 0; i < 2; i++) {
      await call(client, again, again.dan, 'post', `/api/speaker-lists/${second.listId}/enter`)
      const queued = (
        await call(
          client,
          again,
          again.mia,
          'get',
          `/api/speakers?speaker_list=${second.listId}&finished=false`
        )
      ).body().data[0]
      await call(client, again, again.mia, 'post', `/api/speakers/${queued.id}/start`)
      await call(client, again, again.mia, 'post', `/api/speakers/${queued.id}/stop`)
    }
    await call(client, again, again.dan, 'post', `/api/speaker-lists/${second.listId}/enter`)
    await call(client, again, again.eve, 'post', `/api/speaker-lists/${second.listId}/enter`)
    list = (
      await call(client, again, again.mia, 'post', `/api/speaker-lists/${second.listId}/enter`)
    ).body()
    assert.deepEqual(list.queue, [again.dan.id, again.eve.id, again.mia.id])
    assert.isNumber(systemId)
  })

  test('S38 agenda items and meetings cannot close while someone speaks', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const turn = (
      await call(client, world, world.mia, 'get', `/api/speakers?speaker_list=${listId}`)
    ).body().data[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)

    let response = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/agenda-items/${world.item.id}/event`,
      { event: 'close' }
    )
    response.assertStatus(422)
    assert.equal(response.body().errors[0].code, 'speaker.someone_speaking')
    response = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/meetings/${world.meeting.id}/event`,
      { event: 'close' }
    )
    response.assertStatus(422)
    assert.equal(response.body().errors[0].code, 'speaker.someone_speaking')

    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/stop`)
    response = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/agenda-items/${world.item.id}/event`,
      { event: 'close' }
    )
    response.assertStatus(200)
    assert.equal(
      (await AgendaItem.findInOrganisation(world.organisation.id, world.item.id))!.state,
      'closed'
    )
    assert.equal(
      (await SpeakerList.findInOrganisation(world.organisation.id, listId))!.state,
      'closed'
    )
  })

  test('S39 a speaker system cannot be deactivated while someone speaks', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const turn = (
      await call(client, world, world.mia, 'get', `/api/speakers?speaker_list=${listId}`)
    ).body().data[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
    const response = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speaker-list-systems/${systemId}/event`,
      {
        event: 'inactivate',
      }
    )
    response.assertStatus(422)
    assert.equal(response.body().errors[0].code, 'speaker.someone_speaking')
    assert.equal(response.body().errors[0].message, 'Deactivate active speaker first')
    const system = (
      await call(client, world, world.mia, 'get', `/api/speaker-list-systems/${systemId}`)
    ).body()
    assert.equal(system.state, 'active')
    // After stopping, inactivation works and clears the active list.
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/stop`)
    const done = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speaker-list-systems/${systemId}/event`,
      { event: 'inactivate' }
    )
    done.assertStatus(200)
    assert.equal(done.body().state, 'inactive')
    assert.isNull(done.body().object.active_list)
  })

  test('S63 running a speaker list, with the realtime messages', async ({ client, assert }) => {
    const world = await givenSpeakerWorld(client)
    const capture = captureMessages()
    const { listId, systemId, roomId } = await givenRunningList(client, world)
    const m = world.meeting.id
    const itemChannel = `meetings/${m}/agenda-items/${world.item.id}`
    const roomChannel = `meetings/${m}/rooms/${roomId}`
    assert.include(capture.types(itemChannel), 'speaker_list.changed')
    assert.equal((capture.on(itemChannel)[0].data as any).state, 'open')
    const systemChanged = capture
      .on(`meetings/${m}`)
      .filter((message) => message.type === 'speaker_system.changed')
    assert.equal((systemChanged.at(-1)!.data as any).active_list, listId)
    assert.include(capture.types(roomChannel), 'speaker_list.changed')

    capture.clear()
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const listOnItem = capture
      .on(itemChannel)
      .find((message) => message.type === 'speaker_list.changed')!
    assert.deepEqual((listOnItem.data as any).queue, [world.dan.id])
    assert.deepEqual(capture.types(roomChannel), ['speaker.changed', 'speaker_list.changed'])
    const turnId = (capture.on(roomChannel)[0].data as any).id

    capture.clear()
    await call(client, world, world.mia, 'post', `/api/speakers/${turnId}/start`)
    assert.isNotNull((capture.on(roomChannel)[0].data as any).started)
    assert.equal((capture.on(roomChannel)[1].data as any).current, world.dan.id)

    capture.clear()
    const stopped = await call(client, world, world.mia, 'post', `/api/speakers/${turnId}/stop`)
    assert.isAtLeast(stopped.body().seconds, 1)
    assert.isAtLeast((capture.on(roomChannel)[0].data as any).seconds, 1)
    assert.isNull((capture.on(roomChannel)[1].data as any).current)
    assert.deepEqual((capture.on(roomChannel)[1].data as any).queue, [])

    // undo on a started turn, shuffle, close
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    const queued = (
      await call(
        client,
        world,
        world.mia,
        'get',
        `/api/speakers?speaker_list=${listId}&finished=false`
      )
    ).body().data
    await call(client, world, world.mia, 'post', `/api/speakers/${queued[0].id}/start`)
    capture.clear()
    const undone = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speakers/${queued[0].id}/undo`
    )
    undone.assertStatus(200)
    assert.isNull(undone.body().started)
    assert.deepEqual(capture.types(roomChannel), ['speaker.changed', 'speaker_list.changed'])

    capture.clear()
    const shuffled = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speaker-lists/${listId}/shuffle`
    )
    shuffled.assertStatus(200)
    assert.sameMembers(shuffled.body().queue, [world.dan.id, world.eve.id])
    assert.include(capture.types(roomChannel), 'speaker_list.changed')

    capture.clear()
    const closed = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speaker-lists/${listId}/event`,
      { event: 'close' }
    )
    closed.assertStatus(200)
    assert.equal(closed.body().object.state, 'closed')
    assert.include(capture.types(roomChannel), 'speaker_list.changed')
    capture.stop()
    ;(
      await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/leave`)
    ).assertStatus(200)
    ;(
      await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    ).assertStatus(403)
    assert.isNumber(systemId)
  })
})

test.group('Speakers | cascades from meetings', () => {
  test('archiving the meeting archives its speaker systems, deletes queued turns and empties orders', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const turn = (
      await call(client, world, world.mia, 'get', `/api/speakers?speaker_list=${listId}`)
    ).body().data[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/stop`)
    await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)

    const { moveMeetingTo } = await import('#tests/helpers/meetings')
    const { default: Meeting } = await import('#models/meeting')
    const meeting = (await Meeting.findInOrganisation(world.organisation.id, world.meeting.id))!
    await moveMeetingTo(meeting, 'archived')

    const system = (
      await call(client, world, world.mia, 'get', `/api/speaker-list-systems/${systemId}`)
    ).body()
    assert.equal(system.state, 'archived')
    assert.isNull(system.active_list)
    const list = (
      await call(client, world, world.mia, 'get', `/api/speaker-lists/${listId}`)
    ).body()
    assert.deepEqual(list.queue, [])
    const turns = (
      await call(client, world, world.mia, 'get', `/api/speakers?speaker_list=${listId}`)
    ).body().data
    // History stays, the queued turn is gone.
    assert.deepEqual(
      turns.map((row: any) => row.user),
      [world.dan.id]
    )
    // Archived systems refuse changes.
    ;(
      await call(client, world, world.mia, 'patch', `/api/speaker-list-systems/${systemId}`, {
        show_time: true,
      })
    ).assertStatus(403)
  })
})
