import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import AuditEntry from '#models/audit_entry'
import Room from '#models/room'
import SpeakerListSystem from '#models/speaker_list_system'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import {
  capturePublished,
  fakeOngoingPolls,
  givenAgendaItem,
  givenMeeting,
  givenRoles,
  reloadItem,
  reloadMeeting,
} from '#tests/helpers/meetings'

test.group('Scenarios | roles and meetings (scenarios.md §1)', () => {
  test('S01 adding mo adds pa; removing pa removes every meeting role', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const ulf = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)

    const added = await capturePublished(() =>
      asBrowser(client.post('/api/meeting-roles/add'), session).json({
        context: m1.id,
        users: [ulf.id],
        roles: ['mo'],
      })
    )
    added.result.assertStatus(200)
    assert.deepEqual(added.result.body().results, [{ user: ulf.id, assigned: ['pa', 'mo'] }])
    const pushed = added.messages.filter((message) => message.type === 'roles.changed')
    assert.sameMembers(
      pushed.map((message) => message.channel),
      [`meetings/${m1.id}`, `users/${ulf.id}`]
    )
    assert.deepInclude(pushed[0].data as object, {
      model: 'meeting',
      context: m1.id,
      user: ulf.id,
      assigned: ['pa', 'mo'],
      added: ['pa', 'mo'],
      removed: [],
    })

    const removed = await capturePublished(() =>
      asBrowser(client.post('/api/meeting-roles/remove'), session).json({
        context: m1.id,
        users: [ulf.id],
        roles: ['pa'],
      })
    )
    removed.result.assertStatus(200)
    assert.deepEqual(removed.result.body().results, [{ user: ulf.id, assigned: [] }])
    const list = await asBrowser(client.get(`/api/meeting-roles?context=${m1.id}`), session)
    list.assertStatus(200)
    assert.notInclude(
      list.body().data.map((row: { user: { id: number } }) => row.user.id),
      ulf.id
    )
    const change = removed.messages.find((message) => message.type === 'roles.changed')!
    assert.deepInclude(change.data as object, { assigned: [], removed: ['pa', 'mo'] })
  })

  test('S02 only meeting creators and organisation managers may create meetings', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const cleo = await givenUser(organisation, { roles: ['meeting_creator'] })
    const olle = await givenUser(organisation, { roles: ['org_manager'] })
    const pia = await givenUser(organisation)
    const byCleo = await asBrowser(
      client.post('/api/meetings'),
      await loginBrowser(client, host, cleo)
    ).json({ title: 'Annual meeting' })
    byCleo.assertStatus(201)
    assert.equal(byCleo.body().state, 'upcoming')
    assert.sameMembers(byCleo.body().current_user_roles, ['mo', 'pa'])
    const byOlle = await asBrowser(
      client.post('/api/meetings'),
      await loginBrowser(client, host, olle)
    ).json({ title: 'Annual meeting' })
    byOlle.assertStatus(201)
    const byPia = await asBrowser(
      client.post('/api/meetings'),
      await loginBrowser(client, host, pia)
    ).json({ title: 'Annual meeting' })
    byPia.assertStatus(403)
    assert.equal(byPia.body().errors[0].code, 'permission.denied')
  })

  test('S55 a meeting creator creates a meeting with a room and speaker lists in one request', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const cleo = await givenUser(organisation, { roles: ['meeting_creator'] })
    const session = await loginBrowser(client, host, cleo)
    const response = await asBrowser(client.post('/api/meetings'), session).json({
      title: 'AGM',
      er_policy_name: 'auto_before_poll',
      room: { title: 'Plenary' },
      sls: {
        method_name: 'simple',
        safe_positions: 1,
        meeting_roles_to_speaker: ['di'],
        settings: null,
        show_time: false,
      },
    })
    response.assertStatus(201)
    const id = response.body().id
    const detail = await asBrowser(client.get(`/api/meetings/${id}`), session)
    assert.sameMembers(detail.body().current_user_roles, ['mo', 'pa'])
    assert.equal(detail.body().er_policy_name, 'auto_before_poll')
    const room = await Room.forOrganisation(organisation.id).where('meeting_id', id).firstOrFail()
    assert.equal(room.title, 'Plenary')
    const system = await SpeakerListSystem.forOrganisation(organisation.id)
      .where('room_id', room.id)
      .firstOrFail()
    assert.equal(system.methodName, 'simple')
    assert.equal(system.safePositions, 1)
    assert.deepEqual(system.meetingRolesToSpeaker, ['di'])
    const agenda = await asBrowser(client.get(`/api/agenda-items?meeting=${id}`), session)
    assert.deepEqual(agenda.body().data, [])
  })

  test('S55 a refused speaker system rolls back the whole meeting', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const cleo = await givenUser(organisation, { roles: ['meeting_creator'] })
    const session = await loginBrowser(client, host, cleo)
    const response = await asBrowser(client.post('/api/meetings'), session).json({
      title: 'AGM',
      room: { title: 'Plenary' },
      sls: { method_name: 'simple', meeting_roles_to_speaker: ['boss'] },
    })
    response.assertStatus(422)
    const entries = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'meeting.created'
    )
    assert.lengthOf(entries, 0)
  })

  test('S03 a meeting needs a valid ER policy before it can go ongoing', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia, erPolicyName: null })
    const session = await loginBrowser(client, host, mia)
    const refused = await asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
      event: 'make_ongoing',
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'meeting.invalid_er_policy')
    assert.equal(refused.body().errors[0].message, 'Must have valid electoral register policy name')
    assert.equal((await reloadMeeting(m1)).state, 'upcoming')

    const patched = await asBrowser(client.patch(`/api/meetings/${m1.id}`), session).json({
      er_policy_name: 'auto_before_poll',
    })
    patched.assertStatus(200)
    const started = await capturePublished(() =>
      asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
        event: 'make_ongoing',
      })
    )
    started.result.assertStatus(200)
    assert.equal(started.result.body().state, 'ongoing')
    assert.equal(started.result.body().object.state, 'ongoing')
    const startTime = DateTime.fromISO(started.result.body().object.start_time)
    assert.isBelow(Math.abs(startTime.diffNow().as('seconds')), 10)
    const changed = started.messages.find((message) => message.type === 'meeting.changed')!
    assert.equal(changed.channel, `meetings/${m1.id}`)
    assert.equal((changed.data as { state: string }).state, 'ongoing')
    assert.notProperty(changed.data as object, 'current_user_roles')
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', m1.id)
      .where('event', 'meeting.make_ongoing')
      .firstOrFail()
    assert.deepEqual(audit.changes.state, ['upcoming', 'ongoing'])
  })

  test('S04 a meeting with an ongoing poll cannot be closed', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const session = await loginBrowser(client, host, mia)
    const stop = fakeOngoingPolls(m1.id)
    try {
      const refused = await asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
        event: 'close',
      })
      refused.assertStatus(422)
      assert.equal(refused.body().errors[0].code, 'meeting.ongoing_polls')
      assert.equal(refused.body().errors[0].message, 'Meeting has ongoing polls')
      const status = await asBrowser(client.get(`/api/meetings/${m1.id}/event`), session)
      const close = status.body().events.find((event: { name: string }) => event.name === 'close')
      assert.isFalse(close.allowed)
      assert.deepEqual(close.reasons, [
        { code: 'meeting.ongoing_polls', message: 'Meeting has ongoing polls' },
      ])
    } finally {
      stop()
    }
    const closed = await asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
      event: 'close',
    })
    closed.assertStatus(200)
    assert.equal(closed.body().state, 'closed')
    assert.isBelow(
      Math.abs(DateTime.fromISO(closed.body().object.end_time).diffNow().as('seconds')),
      10
    )
  })

  test('S05 requesting and aborting deletion restores the previous state', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const session = await loginBrowser(client, host, mia)
    const requested = await asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
      event: 'request_delete',
    })
    requested.assertStatus(200)
    assert.equal(requested.body().object.state, 'deleting')
    assert.equal(requested.body().object.pre_delete_state, 'ongoing')
    assert.isNotNull(requested.body().object.delete_requested)
    const aborted = await asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
      event: 'abort_delete',
    })
    aborted.assertStatus(200)
    assert.equal(aborted.body().object.state, 'ongoing')
    assert.isNull(aborted.body().object.delete_requested)
    assert.isNull(aborted.body().object.pre_delete_state)
  })

  test('S06 archiving can be requested and aborted', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia, state: 'closed' })
    const session = await loginBrowser(client, host, mia)
    const requested = await asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
      event: 'request_archiving',
    })
    requested.assertStatus(200)
    assert.equal(requested.body().object.state, 'archiving')
    const expected = DateTime.utc().plus({ days: 3 })
    assert.isBelow(
      Math.abs(
        DateTime.fromISO(requested.body().object.archive_after).diff(expected).as('seconds')
      ),
      10
    )
    const aborted = await asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({
      event: 'abort_archiving',
    })
    aborted.assertStatus(200)
    assert.equal(aborted.body().object.state, 'closed')
    assert.isNull(aborted.body().object.archive_after)
  })

  test('S68 close is listed as not allowed while a poll is ongoing, then closes and publishes', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const item = await givenAgendaItem(m1, 'ongoing')
    const session = await loginBrowser(client, host, mia)
    const stop = fakeOngoingPolls(m1.id)
    const status = await asBrowser(client.get(`/api/meetings/${m1.id}/event`), session)
    stop()
    const close = status.body().events.find((event: { name: string }) => event.name === 'close')
    assert.isFalse(close.allowed)
    assert.equal(close.reasons[0].message, 'Meeting has ongoing polls')
    const { result, messages } = await capturePublished(() =>
      asBrowser(client.post(`/api/meetings/${m1.id}/event`), session).json({ event: 'close' })
    )
    result.assertStatus(200)
    assert.isTrue(
      messages.some(
        (message) =>
          message.type === 'meeting.changed' &&
          (message.data as { state: string }).state === 'closed'
      )
    )
    // D15: ongoing agenda items are closed with the meeting.
    assert.equal((await reloadItem(item))!.state, 'closed')
  })
})

test.group('Scenarios | agenda (scenarios.md §2)', () => {
  test('S08 an agenda item cannot become ongoing while the meeting is upcoming', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia })
    const a1 = await givenAgendaItem(m1)
    const session = await loginBrowser(client, host, mia)
    const status = await asBrowser(client.get(`/api/agenda-items/${a1.id}/event`), session)
    status.assertStatus(200)
    const makeOngoing = status
      .body()
      .events.find((event: { name: string }) => event.name === 'make_ongoing')
    assert.isFalse(makeOngoing.allowed)
    assert.match(makeOngoing.reasons[0].message, /meeting is not ongoing/i)
    const refused = await asBrowser(client.post(`/api/agenda-items/${a1.id}/event`), session).json({
      event: 'make_ongoing',
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'transition.unavailable')
    assert.equal((await reloadItem(a1))!.state, 'private')
  })

  test('S09 unpublishing an agenda item hides it from participants', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const pia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    await givenRoles(m1, pia, ['pa'])
    const a1 = await givenAgendaItem(m1, 'upcoming')
    const miaSession = await loginBrowser(client, host, mia)
    const piaSession = await loginBrowser(client, host, pia)
    ;(await asBrowser(client.get(`/api/agenda-items/${a1.id}`), piaSession)).assertStatus(200)
    const { result, messages } = await capturePublished(() =>
      asBrowser(client.post(`/api/agenda-items/${a1.id}/event`), miaSession).json({
        event: 'unpublish',
      })
    )
    result.assertStatus(200)
    const toParticipants = messages.find(
      (message) => message.channel === `meetings/${m1.id}/participants`
    )!
    assert.equal(toParticipants.type, 'agenda_item.deleted')
    assert.deepEqual(toParticipants.data, {
      id: a1.id,
      rev: result.body().object.rev,
      meeting: m1.id,
    })
    const toModerators = messages.find(
      (message) => message.channel === `meetings/${m1.id}/moderators`
    )!
    assert.equal((toModerators.data as { state: string }).state, 'private')
    ;(await asBrowser(client.get(`/api/agenda-items/${a1.id}`), piaSession)).assertStatus(404)
    ;(await asBrowser(client.get(`/api/agenda-items/${a1.id}`), miaSession)).assertStatus(200)
  })

  test('S10 bulk change skips illegal transitions; bulk delete refuses ongoing meetings', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const a1 = await givenAgendaItem(m1, 'private')
    const a2 = await givenAgendaItem(m1, 'private')
    const a3 = await givenAgendaItem(m1, 'ongoing')
    const session = await loginBrowser(client, host, mia)
    const stop = fakeOngoingPolls(m1.id, 1, a3.id)
    try {
      const response = await asBrowser(client.post('/api/agenda-items/bulk-change'), session).json({
        meeting: m1.id,
        agenda_items: [a1.id, a2.id, a3.id],
        state: 'upcoming',
      })
      response.assertStatus(200)
      assert.deepEqual(response.body(), { changed: 2 })
    } finally {
      stop()
    }
    assert.equal((await reloadItem(a1))!.state, 'upcoming')
    assert.equal((await reloadItem(a2))!.state, 'upcoming')
    assert.equal((await reloadItem(a3))!.state, 'ongoing')
    const refused = await asBrowser(client.post('/api/agenda-items/bulk-delete'), session).json({
      meeting: m1.id,
      agenda_items: [a1.id],
    })
    refused.assertStatus(422)
    assert.isNotNull(await reloadItem(a1))
  })

  test('S56 a moderator builds, orders and publishes the agenda', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const pia = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, { moderator: mia })
    await givenRoles(m1, pia, ['pa'])
    const session = await loginBrowser(client, host, mia)
    const created = await capturePublished(async () => {
      const ids: number[] = []
      for (const title of ['One', 'Two', 'Three']) {
        const response = await asBrowser(client.post('/api/agenda-items'), session).json({
          meeting: m1.id,
          title,
        })
        response.assertStatus(201)
        assert.equal(response.body().state, 'private')
        ids.push(response.body().id)
      }
      return ids
    })
    const [a1, a2, a3] = created.result
    assert.deepEqual(
      created.messages.map((message) => `${message.channel} ${message.type}`),
      Array(3).fill(`meetings/${m1.id}/moderators agenda_item.changed`)
    )
    ;(
      await asBrowser(client.post(`/api/meetings/${m1.id}/agenda-order`), session).json({
        order: [a3, a1, a2],
      })
    ).assertStatus(204)
    const listed = await asBrowser(client.get(`/api/agenda-items?meeting=${m1.id}`), session)
    assert.deepEqual(
      listed.body().data.map((item: { id: number }) => item.id),
      [a3, a1, a2]
    )
    const published = await capturePublished(() =>
      asBrowser(client.post('/api/agenda-items/bulk-change'), session).json({
        meeting: m1.id,
        agenda_items: [a1, a2, a3],
        state: 'upcoming',
      })
    )
    assert.deepEqual(published.result.body(), { changed: 3 })
    assert.lengthOf(
      published.messages.filter((message) => message.channel === `meetings/${m1.id}/participants`),
      3
    )
    const patched = await capturePublished(() =>
      asBrowser(client.patch(`/api/agenda-items/${a1}`), session).json({
        title: 'First',
        body: '<p>About #budget</p>',
        tags: ['Finance'],
      })
    )
    patched.result.assertStatus(200)
    assert.deepEqual(patched.result.body().tags, ['budget', 'finance'])
    assert.isTrue(
      patched.messages.some(
        (message) =>
          message.type === 'agenda_body.changed' &&
          message.channel === `meetings/${m1.id}/agenda-items/${a1}`
      )
    )
    const piaList = await asBrowser(
      client.get(`/api/agenda-items?meeting=${m1.id}`),
      await loginBrowser(client, host, pia)
    )
    assert.lengthOf(piaList.body().data, 3)
  })
})
