import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import Speaker from '#models/speaker'
import MeetingRole from '#models/meeting_role'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import {
  captureMessages,
  call,
  givenRunningList,
  givenSpeakerWorld,
  type SpeakerWorld,
} from '#tests/helpers/speakers'
import { givenOrganisation, givenUser, loginBrowser, asBrowser } from '#tests/helpers/world'
import type { ApiClient } from '@japa/api-client'

async function queuedTurns(client: ApiClient, world: SpeakerWorld, listId: number) {
  return (
    await call(
      client,
      world,
      world.mia,
      'get',
      `/api/speakers?speaker_list=${listId}&finished=false`
    )
  ).body().data
}

/** Moves a turn's clock back, as if it had started `ms` earlier. */
async function rewind(world: SpeakerWorld, turnId: number, ms: number) {
  const row = await Speaker.findInOrganisation(world.organisation.id, turnId)
  row!.startedMs = row!.startedMs! - ms
  if (row!.runningSinceMs !== null) row!.runningSinceMs -= ms
  if (row!.pausedAtMs !== null) row!.pausedAtMs -= ms
  await row!.save()
}

test.group('Speakers | point of order (api.md §11.4)', () => {
  test('a point of order jumps the list, is served first and may be raised on a closed list', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world, { safe_positions: 2 })
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/enter`)
    const first = (await queuedTurns(client, world, listId))[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${first.id}/start`)
    await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/event`, {
      event: 'close',
    })

    // Closed list: a speech is refused, a point of order accepted (point_of_order_when_closed defaults to true).
    ;(
      await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    ).assertStatus(403)
    const raised = await call(
      client,
      world,
      world.eve,
      'post',
      `/api/speaker-lists/${listId}/enter`,
      {
        kind: 'point_of_order',
        category: 'procedure',
      }
    )
    raised.assertStatus(201)
    // Directly after the current speaker, ahead of the safe positions.
    assert.deepEqual(raised.body().queue, [world.dan.id, world.eve.id, world.mia.id])
    assert.deepEqual(
      raised.body().queue_entries.map((entry: any) => [entry.kind, entry.category]),
      [
        ['speech', null],
        ['point_of_order', 'procedure'],
        ['speech', null],
      ]
    )
    // Raising it again is idempotent.
    ;(
      await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`, {
        kind: 'point_of_order',
      })
    ).assertStatus(200)
    // Unknown category → 422 naming the field.
    const bad = await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/enter`, {
      kind: 'point_of_order',
      category: 'gossip',
    })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'category')
  })

  test('next starts the first waiting turn: a point of order before the list', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world)
    const empty = await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/next`)
    empty.assertStatus(422)
    assert.equal(empty.body().errors[0].code, 'speaker.queue_empty')
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`, {
      kind: 'point_of_order',
    })
    let started = (
      await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/next`)
    ).body()
    assert.include(started, { user: world.eve.id, kind: 'point_of_order' })
    started = (
      await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/next`)
    ).body()
    assert.include(started, { user: world.dan.id, kind: 'speech' })
    const eve = (
      await call(
        client,
        world,
        world.mia,
        'get',
        `/api/speakers?speaker_list=${listId}&finished=true`
      )
    ).body().data
    assert.equal(eve[0].user, world.eve.id)
    ;(
      await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/next`)
    ).assertStatus(403)
  })

  test('systems can refuse points of order on closed lists', async ({ client }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world, { point_of_order_when_closed: false })
    await call(client, world, world.mia, 'post', `/api/speaker-lists/${listId}/event`, {
      event: 'close',
    })
    const response = await call(
      client,
      world,
      world.eve,
      'post',
      `/api/speaker-lists/${listId}/enter`,
      { kind: 'point_of_order' }
    )
    response.assertStatus(403)
  })

  test('a user may queue a speech and raise a point of order; leaving takes the kind', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    const list = (
      await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`, {
        kind: 'point_of_order',
      })
    ).body()
    assert.deepEqual(list.queue, [world.eve.id, world.dan.id, world.eve.id])
    const left = await call(
      client,
      world,
      world.eve,
      'post',
      `/api/speaker-lists/${listId}/leave`,
      { kind: 'point_of_order' }
    )
    left.assertStatus(200)
    assert.deepEqual(left.body().queue, [world.dan.id, world.eve.id])
    ;(
      await call(client, world, world.pia, 'post', `/api/speaker-lists/${listId}/leave`)
    ).assertStatus(404)
  })
})

test.group('Speakers | timers (beyond.md B-ADD-02)', () => {
  test('countdown, pause, resume and extend; seconds exclude paused time', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world, { speech_seconds: 120 })
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const turn = (await queuedTurns(client, world, listId))[0]
    const started = (
      await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
    ).body()
    assert.equal(started.time_limit, 120)
    assert.isAtMost(started.remaining_seconds, 120)
    await rewind(world, turn.id, 30_000)
    const paused = await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/pause`)
    paused.assertStatus(200)
    assert.isTrue(paused.body().paused)
    assert.closeTo(paused.body().elapsed_seconds, 30, 1)
    // A second pause is refused.
    const again = await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/pause`)
    again.assertStatus(422)
    assert.equal(again.body().errors[0].code, 'speaker.not_running')
    // Paused time does not count: move the pause 60 s into the past, then resume.
    await rewind(world, turn.id, 60_000)
    const resumed = (
      await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/resume`)
    ).body()
    assert.isFalse(resumed.paused)
    assert.closeTo(resumed.elapsed_seconds, 30, 1)
    const extended = (
      await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/extend`, {
        seconds: 60,
      })
    ).body()
    assert.equal(extended.time_limit, 180)
    const invalid = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speakers/${turn.id}/extend`,
      { seconds: 0 }
    )
    invalid.assertStatus(422)
    assert.equal(invalid.body().errors[0].field, 'seconds')
    const stopped = (
      await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/stop`)
    ).body()
    assert.closeTo(stopped.seconds, 31, 1)
    // Timer controls need list-moderator rights.
    ;(await call(client, world, world.dan, 'post', `/api/speakers/${turn.id}/pause`)).assertStatus(
      403
    )
  })
})

test.group('Speakers | budgets, history, export', () => {
  test('group time budgets are reported and, when enforced, block starting', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world)
    const group = await MeetingGroup.create({
      organisationId: world.organisation.id,
      meetingId: world.meeting.id,
      title: 'Delegation A',
      body: '',
      groupid: 'a',
      votes: null,
      delegateToId: null,
      showOnSpeaker: false,
      postAs: false,
      tags: [],
      rev: 1,
    })
    await GroupMembership.create({
      organisationId: world.organisation.id,
      meetingId: world.meeting.id,
      meetingGroupId: group.id,
      userId: world.dan.id,
      groupRoleId: null,
      votes: null,
      rev: 1,
    })
    const put = await call(
      client,
      world,
      world.mia,
      'put',
      `/api/speaker-systems/${systemId}/time-budgets`,
      {
        budgets: [{ group: group.id, seconds: 20 }],
      }
    )
    put.assertStatus(200)
    assert.deepEqual(put.body().data[0], {
      group: group.id,
      seconds: 20,
      used_seconds: 0,
      remaining_seconds: 20,
      exhausted: false,
      enforced: false,
    })
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    let turn = (await queuedTurns(client, world, listId))[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
    await rewind(world, turn.id, 25_000)
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/stop`)
    const status = (
      await call(client, world, world.eve, 'get', `/api/speaker-systems/${systemId}/time-budgets`)
    ).body().data[0]
    assert.isTrue(status.exhausted)
    assert.isAtLeast(status.used_seconds, 25)

    await call(client, world, world.mia, 'patch', `/api/speaker-list-systems/${systemId}`, {
      enforce_time_budgets: true,
    })
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    turn = (await queuedTurns(client, world, listId))[0]
    const refused = await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'speaker.budget_exhausted')
    // Unknown groups → 422 on the field; participants cannot set budgets.
    const unknown = await call(
      client,
      world,
      world.mia,
      'put',
      `/api/speaker-systems/${systemId}/time-budgets`,
      {
        budgets: [{ group: 999999, seconds: 5 }],
      }
    )
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'budgets.0.group')
    ;(
      await call(client, world, world.dan, 'put', `/api/speaker-systems/${systemId}/time-budgets`, {
        budgets: [],
      })
    ).assertStatus(403)
  })

  test('history per user and group, corrections, CSV/JSON export with an access audit entry', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world)
    for (const user of [world.dan, world.eve, world.dan]) {
      await call(client, world, user, 'post', `/api/speaker-lists/${listId}/enter`)
      const turn = (await queuedTurns(client, world, listId))[0]
      await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
      await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/stop`)
    }
    const finished = (
      await call(
        client,
        world,
        world.mia,
        'get',
        `/api/speakers?speaker_list=${listId}&finished=true`
      )
    ).body().data
    assert.lengthOf(finished, 3)
    // Correct one finished turn; queued or running turns cannot be patched.
    const patched = await call(
      client,
      world,
      world.mia,
      'patch',
      `/api/speakers/${finished[1].id}`,
      { seconds: 90, note: 'clock failed' }
    )
    patched.assertStatus(200)
    assert.equal(patched.body().seconds, 90)

    const history = (
      await call(
        client,
        world,
        world.pia,
        'get',
        `/api/speaker-history?meeting=${world.meeting.id}&ordering=-seconds_spoken`
      )
    ).body()
    assert.deepEqual(
      history.data.map((row: any) => [row.user, row.times_spoken]),
      [
        [world.eve.id, 1],
        [world.dan.id, 2],
      ]
    )
    assert.equal(history.data[0].seconds_spoken, 90)

    const csv = await call(
      client,
      world,
      world.mia,
      'get',
      `/api/exports/speakers/${systemId}?format=csv`
    )
    csv.assertStatus(200)
    assert.match(csv.header('content-disposition') ?? '', /attachment/)
    const lines = csv.text().trim().split('\n')
    assert.equal(lines[0], 'speaker_list,agenda_item,userid,started,seconds,kind,category')
    assert.lengthOf(lines, 4)
    const json = await call(
      client,
      world,
      world.mia,
      'get',
      `/api/exports/speakers/${systemId}?format=json`
    )
    assert.lengthOf(JSON.parse(json.text()), 3)
    ;(
      await call(client, world, world.dan, 'get', `/api/exports/speakers/${systemId}`)
    ).assertStatus(403)
    const entries = await AuditEntry.forOrganisation(world.organisation.id).where(
      'event',
      'speakers.exported'
    )
    assert.lengthOf(entries, 2)
    assert.equal(entries[0].action, 'access')
  })
})

test.group('Speakers | roles and permissions over HTTP', () => {
  test('speaker-system roles: adding one adds pa; list moderators run lists but cannot change the system', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world)
    const lee = await givenUser(world.organisation, { firstName: 'Lee' })
    const added = await call(client, world, world.mia, 'post', '/api/speaker-system-roles/add', {
      context: systemId,
      users: [lee.id],
      roles: ['list_moderator'],
    })
    added.assertStatus(200)
    assert.deepEqual(added.body().results, [{ user: lee.id, assigned: ['list_moderator'] }])
    const row = await MeetingRole.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .where('user_id', lee.id)
      .first()
    assert.deepEqual(row?.assigned, ['pa'])
    const listed = (
      await call(client, world, world.pia, 'get', `/api/speaker-system-roles?context=${systemId}`)
    ).body().data
    assert.equal(listed[0].model, 'speaker_system')
    await call(client, world, world.mia, 'post', '/api/speaker-system-roles/add', {
      context: systemId,
      users: [world.eve.id],
      roles: ['speaker'],
    })
    const speakersOnly = (
      await call(
        client,
        world,
        world.pia,
        'get',
        `/api/speaker-system-roles?context=${systemId}&roles=speaker`
      )
    ).body().data
    assert.deepEqual(
      speakersOnly.map((entry: any) => entry.user.id),
      [world.eve.id]
    )
    const searched = (
      await call(
        client,
        world,
        world.pia,
        'get',
        `/api/speaker-system-roles?context=${systemId}&search=lee`
      )
    ).body().data
    assert.deepEqual(
      searched.map((entry: any) => entry.user.id),
      [lee.id]
    )
    ;(
      await call(client, world, world.dan, 'post', '/api/speaker-system-roles/add', {
        context: systemId,
        users: [world.dan.id],
        roles: ['speaker'],
      })
    ).assertStatus(403)
    const badRole = await call(client, world, world.mia, 'post', '/api/speaker-system-roles/add', {
      context: systemId,
      users: [lee.id],
      roles: ['mo'],
    })
    badRole.assertStatus(422)
    assert.equal(badRole.body().errors[0].field, 'roles.0')

    // The list moderator runs the list …
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const turn = (await queuedTurns(client, world, listId))[0]
    ;(await call(client, world, lee, 'post', `/api/speakers/${turn.id}/start`)).assertStatus(200)
    ;(await call(client, world, lee, 'post', `/api/speakers/${turn.id}/stop`)).assertStatus(200)
    ;(
      await call(client, world, lee, 'patch', `/api/speaker-list-systems/${systemId}`, {
        active_list: null,
      })
    ).assertStatus(200)
    // … but may not change system settings or its state.
    ;(
      await call(client, world, lee, 'patch', `/api/speaker-list-systems/${systemId}`, {
        safe_positions: 2,
      })
    ).assertStatus(403)
    ;(
      await call(client, world, lee, 'post', `/api/speaker-list-systems/${systemId}/event`, {
        event: 'inactivate',
      })
    ).assertStatus(403)

    // Leaving the meeting removes the speaker-system roles (domain §3.6).
    await call(client, world, world.mia, 'post', '/api/meeting-roles/remove', {
      context: world.meeting.id,
      users: [lee.id],
      roles: ['pa'],
    })
    const after = (
      await call(client, world, world.mia, 'get', `/api/speaker-system-roles?context=${systemId}`)
    ).body().data
    assert.deepEqual(
      after.map((entry: any) => entry.user.id),
      [world.eve.id]
    )
  })

  test('who may do what (role × action, HTTP)', async ({ client, assert }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId, roomId } = await givenRunningList(client, world)
    const expectations: Array<[string, any, 'get' | 'post' | 'patch', string, any, number]> = [
      [
        'outsider reads lists',
        world.outsider,
        'get',
        `/api/speaker-lists/${listId}`,
        undefined,
        404,
      ],
      ['participant reads lists', world.pia, 'get', `/api/speaker-lists/${listId}`, undefined, 200],
      ['participant reads rooms', world.pia, 'get', `/api/rooms/${roomId}`, undefined, 200],
      ['outsider reads rooms', world.outsider, 'get', `/api/rooms/${roomId}`, undefined, 404],
      [
        'participant adds a list',
        world.pia,
        'post',
        '/api/speaker-lists',
        { speaker_system: systemId, title: 'X' },
        403,
      ],
      [
        'discusser shuffles',
        world.dan,
        'post',
        `/api/speaker-lists/${listId}/shuffle`,
        undefined,
        403,
      ],
      [
        'discusser closes the list',
        world.dan,
        'post',
        `/api/speaker-lists/${listId}/event`,
        { event: 'close' },
        403,
      ],
      [
        'discusser puts someone in the queue',
        world.dan,
        'post',
        '/api/speakers',
        { speaker_list: listId, user: world.eve.id },
        403,
      ],
      [
        'discusser edits a room',
        world.dan,
        'patch',
        `/api/rooms/${roomId}`,
        { title: 'Mine' },
        403,
      ],
      [
        'moderator puts a discusser in the queue',
        world.mia,
        'post',
        '/api/speakers',
        { speaker_list: listId, user: world.eve.id },
        201,
      ],
      [
        'moderator edits a room',
        world.mia,
        'patch',
        `/api/rooms/${roomId}`,
        { title: 'Main hall' },
        200,
      ],
    ]
    for (const [what, user, method, url, body, status] of expectations) {
      const response = await call(client, world, user, method, url, body)
      assert.equal(response.status(), status, what)
    }
  })

  test('an unqualified user is put in the queue only with a moderator override', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world)
    const refused = await call(client, world, world.mia, 'post', '/api/speakers', {
      speaker_list: listId,
      user: world.pia.id,
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'speaker.not_qualified')
    const forced = await call(client, world, world.mia, 'post', '/api/speakers', {
      speaker_list: listId,
      user: world.pia.id,
      override: true,
    })
    forced.assertStatus(201)
    const notMember = await call(client, world, world.mia, 'post', '/api/speakers', {
      speaker_list: listId,
      user: world.outsider.id,
      override: true,
    })
    notMember.assertStatus(422)
    assert.equal(notMember.body().errors[0].field, 'user')
  })

  test('shuffle is refused while someone speaks; start needs the active list', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const turn = (await queuedTurns(client, world, listId))[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
    const shuffle = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speaker-lists/${listId}/shuffle`
    )
    shuffle.assertStatus(422)
    assert.equal(shuffle.body().errors[0].code, 'speaker.someone_speaking')
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/undo`)
    await call(client, world, world.mia, 'patch', `/api/speaker-list-systems/${systemId}`, {
      active_list: null,
    })
    ;(await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)).assertStatus(
      403
    )
    // Validation names the field.
    const invalid = await call(client, world, world.mia, 'post', '/api/speaker-list-systems', {
      room: 1,
      safe_positions: 9,
    })
    invalid.assertStatus(422)
    assert.equal(invalid.body().errors[0].field, 'safe_positions')
  })

  test('other organisations see nothing (tenancy)', async ({ client }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world)
    const other = await givenOrganisation()
    const stranger = await givenUser(other.organisation)
    const session = await loginBrowser(client, other.host, stranger)
    ;(await asBrowser(client.get(`/api/speaker-lists/${listId}`), session)).assertStatus(404)
  })
})

test.group('Speakers | rooms (scenario S64)', () => {
  test('handling a room, highlighting, marking text and taking over', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const bo = await givenUser(world.organisation, { firstName: 'Bo' })
    const { default: ChangeMeetingRoles } = await import('#actions/meetings/change_meeting_roles')
    const { systemActor } = await import('#services/audit_log')
    await new ChangeMeetingRoles().execute({
      meeting: world.meeting,
      userIds: [bo.id],
      roles: ['mo'],
      mode: 'add',
      actor: systemActor('cli'),
    })
    const { default: Proposal } = await import('#models/proposal')
    const proposal = (title: string) =>
      Proposal.create({
        organisationId: world.organisation.id,
        meetingId: world.meeting.id,
        agendaItemId: world.item.id,
        shortname: 'proposal',
        propId: title,
        body: `<p>${title} text body</p>`,
        title,
        state: 'published',
        tags: [],
        mentions: [],
        authorId: world.dan.id,
        meetingGroupId: null,
        asGroup: false,
        paragraphId: null,
        bodyDiffBrief: null,
        rev: 1,
      } as any)
    const p1 = await proposal('p1')
    const p2 = await proposal('p2')
    const { roomId } = await givenRunningList(client, world)
    const roomChannel = `meetings/${world.meeting.id}/rooms/${roomId}`
    const capture = captureMessages()
    const handled = await call(client, world, world.mia, 'patch', `/api/rooms/${roomId}/handle`, {
      token: 'tA0123456789abcd',
      agenda_item: world.item.id,
      highlighted: [p1.id, p2.id],
      send_proposals: true,
    })
    handled.assertStatus(200)
    assert.include(handled.body(), { open: true, handler: world.mia.id, token: 'tA0123456789abcd' })
    assert.deepEqual(handled.body().highlighted, [p1.id, p2.id])
    const roomChanged = capture
      .on(`meetings/${world.meeting.id}`)
      .find((message) => message.type === 'room.changed')!
    assert.equal((roomChanged.data as any).token, 'tA0123456789abcd')
    assert.equal(capture.on(roomChannel)[0].type, 'room.highlighted')
    assert.deepEqual(capture.on(roomChannel)[0].data, {
      id: roomId,
      meeting: world.meeting.id,
      highlighted: [p1.id, p2.id],
      token: 'tA0123456789abcd',
    })

    capture.clear()
    ;(
      await call(client, world, world.mia, 'post', `/api/rooms/${roomId}/mark-text`, {
        proposal: p1.id,
        start: 10,
        end: 25,
      })
    ).assertStatus(204)
    assert.deepEqual(capture.on(roomChannel)[0].data, {
      room: roomId,
      meeting: world.meeting.id,
      proposal: p1.id,
      start: 10,
      end: 25,
    })
    const halfMarked = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/rooms/${roomId}/mark-text`,
      { proposal: p1.id, start: 10, end: null }
    )
    halfMarked.assertStatus(422)

    capture.clear()
    const takeover = await call(client, world, bo, 'patch', `/api/rooms/${roomId}/handle`, {
      token: 'tB0123456789abcd',
      highlighted: [p2.id],
    })
    assert.equal(takeover.body().handler, bo.id)
    assert.equal((capture.on(roomChannel)[0].data as any).token, 'tB0123456789abcd')

    capture.clear()
    const paused = await call(client, world, bo, 'patch', `/api/rooms/${roomId}`, {
      body: '<p>Back 14:30</p><script>x()</script>',
      show_time: true,
      send_proposals: false,
      send_sls: false,
    })
    capture.stop()
    assert.include(paused.body(), {
      body: '<p>Back 14:30</p>',
      show_time: true,
      send_proposals: false,
      send_sls: false,
    })
    assert.deepEqual(capture.types(`meetings/${world.meeting.id}`), ['room.changed'])

    // Unknown proposal → 422 on the highlighted entry; participants cannot handle.
    const bad = await call(client, world, world.mia, 'patch', `/api/rooms/${roomId}/handle`, {
      token: 't',
      highlighted: [p1.id, 999999],
    })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'highlighted.1')
    ;(
      await call(client, world, world.dan, 'patch', `/api/rooms/${roomId}/handle`, { token: 't' })
    ).assertStatus(403)

    const status = (
      await call(client, world, world.mia, 'get', `/api/rooms/${roomId}/status`)
    ).body()
    assert.deepEqual(status, { speakers: 0, speaker_lists: 1 })
    ;(await call(client, world, world.mia, 'delete', `/api/rooms/${roomId}`)).assertStatus(204)
    ;(await call(client, world, world.mia, 'get', `/api/rooms/${roomId}`)).assertStatus(404)
  })
})

test.group('Speakers | state machines over HTTP (api.md §6.1)', () => {
  test('both machines are published; GET …/event explains why an event is not allowed', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world)
    const machines = (await client.get('/api/state-machines').header('host', world.host)).body()
    const system = machines.find((machine: any) => machine.name === 'SpeakerListSystem')
    assert.deepEqual(system.states, ['active', 'inactive', 'archived'])
    assert.isTrue(system.events.find((event: any) => event.name === 'archive').internal)
    assert.equal(machines.find((machine: any) => machine.name === 'SpeakerList').initial, 'open')

    const forDan = (
      await call(client, world, world.dan, 'get', `/api/speaker-lists/${listId}/event`)
    ).body()
    assert.deepEqual(forDan.events, [
      {
        name: 'close',
        title: 'Close',
        target: 'closed',
        allowed: false,
        reasons: [
          { code: 'permission.denied', message: 'Requires permission speaker_list.change' },
        ],
      },
    ])
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const turn = (await queuedTurns(client, world, listId))[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${turn.id}/start`)
    const forMia = (
      await call(client, world, world.mia, 'get', `/api/speaker-list-systems/${systemId}/event`)
    ).body()
    assert.equal(forMia.state, 'active')
    assert.deepEqual(forMia.events[0].reasons, [
      { code: 'speaker.someone_speaking', message: 'Deactivate active speaker first' },
    ])
    const unknown = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speaker-lists/${listId}/event`,
      { event: 'explode' }
    )
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].code, 'transition.unavailable')
    const wrongState = await call(
      client,
      world,
      world.mia,
      'post',
      `/api/speaker-lists/${listId}/event`,
      { event: 'open' }
    )
    wrongState.assertStatus(422)
    assert.deepEqual(wrongState.body().errors[0].meta.allowed_events, ['close'])
  })
})

test.group('Speakers | changing the method reorders at once', () => {
  test('switching from simple to time_fair puts the one who spoke least first', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { listId, systemId } = await givenRunningList(client, world, { safe_positions: 0 })
    // Dan speaks ~40 s, then Dan and Eve queue (Dan first).
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const first = (await queuedTurns(client, world, listId))[0]
    await call(client, world, world.mia, 'post', `/api/speakers/${first.id}/start`)
    await rewind(world, first.id, 40_000)
    await call(client, world, world.mia, 'post', `/api/speakers/${first.id}/stop`)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    let list = (
      await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    ).body()
    assert.deepEqual(list.queue, [world.dan.id, world.eve.id])

    const capture = captureMessages()
    const changed = await call(
      client,
      world,
      world.mia,
      'patch',
      `/api/speaker-list-systems/${systemId}`,
      {
        method_name: 'time_fair',
        settings: { scope: 'meeting', unknown_key: 1 },
      }
    )
    capture.stop()
    changed.assertStatus(200)
    assert.deepEqual(changed.body().settings, { scope: 'meeting' })
    list = (await call(client, world, world.mia, 'get', `/api/speaker-lists/${listId}`)).body()
    assert.deepEqual(list.queue, [world.eve.id, world.dan.id])
    assert.include(
      capture.types(`meetings/${world.meeting.id}/speaker-lists/${listId}`),
      'speaker_list.changed'
    )

    const bad = await call(
      client,
      world,
      world.mia,
      'patch',
      `/api/speaker-list-systems/${systemId}`,
      { settings: { scope: 'year' } }
    )
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'settings.scope')
  })

  test('gender_prio enables the gtags component; leaving the method disables it', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { systemId } = await givenRunningList(client, world)
    const { default: MeetingComponent } = await import('#models/meeting_component')
    const component = () =>
      MeetingComponent.forOrganisation(world.organisation.id)
        .where('meeting_id', world.meeting.id)
        .where('component_name', 'gtags')
        .first()
    await call(client, world, world.mia, 'patch', `/api/speaker-list-systems/${systemId}`, {
      method_name: 'gender_prio',
    })
    assert.isTrue((await component())?.enabled)
    assert.deepEqual((await component())?.settings, { tags: ['m', 'f', 'nb'], many: false })
    await call(client, world, world.mia, 'patch', `/api/speaker-list-systems/${systemId}`, {
      method_name: 'priority',
    })
    assert.isFalse((await component())?.enabled)
  })
})
