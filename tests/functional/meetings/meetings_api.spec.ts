import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import MeetingRole from '#models/meeting_role'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import {
  capturePublished,
  fakeOngoingPolls,
  givenAgendaItem,
  givenMeeting,
  givenRoles,
  reloadMeeting,
} from '#tests/helpers/meetings'

async function auditCount(organisationId: number) {
  const rows = await AuditEntry.forOrganisation(organisationId).count('* as total')
  return Number(rows[0].$extras.total)
}

test.group('Meetings API | listing, detail and visibility (domain §7.1, §7.6, §7.7)', () => {
  test('lists own, public and listed meetings with current_user_roles; managers see all', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const pia = await givenUser(organisation)
    const olle = await givenUser(organisation, { roles: ['org_manager'] })
    const own = await givenMeeting(organisation)
    await givenRoles(own, pia, ['pr'])
    const publicOne = await givenMeeting(organisation, { public: true })
    const listed = await givenMeeting(organisation, { visibleInLists: true })
    const hidden = await givenMeeting(organisation)

    const piaList = await asBrowser(
      client.get('/api/meetings'),
      await loginBrowser(client, host, pia)
    )
    piaList.assertStatus(200)
    const byId = new Map(piaList.body().data.map((entry: { id: number }) => [entry.id, entry]))
    assert.sameMembers([...byId.keys()], [own.id, publicOne.id, listed.id])
    assert.sameMembers((byId.get(own.id) as { current_user_roles: string[] }).current_user_roles, [
      'pa',
      'pr',
    ])
    assert.isNull((byId.get(listed.id) as { current_user_roles: null }).current_user_roles)
    assert.deepEqual(Object.keys(byId.get(own.id) as object).sort(), [
      'current_user_roles',
      'end_time',
      'id',
      'public',
      'start_time',
      'state',
      'title',
      'visible_in_lists',
    ])

    const olleList = await asBrowser(
      client.get('/api/meetings'),
      await loginBrowser(client, host, olle)
    )
    assert.includeMembers(
      olleList.body().data.map((entry: { id: number }) => entry.id),
      [own.id, publicOne.id, listed.id, hidden.id]
    )

    const anonymous = await client.get('/api/meetings').header('host', host)
    anonymous.assertStatus(200)
    assert.deepEqual(
      anonymous.body().data.map((entry: { id: number }) => entry.id),
      [publicOne.id]
    )
    assert.equal(anonymous.body().meta.total, 1)
  })

  test('filters by state, search and year; paginates', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const olle = await givenUser(organisation, { roles: ['org_manager'] })
    const a = await givenMeeting(organisation, { state: 'ongoing' })
    const b = await givenMeeting(organisation)
    b.title = 'Annual Budget 100%'
    await b.save()
    const session = await loginBrowser(client, host, olle)
    const ongoing = await asBrowser(client.get('/api/meetings?state=ongoing,closed'), session)
    assert.equal(ongoing.status(), 200, JSON.stringify(ongoing.body()))
    assert.deepEqual(
      ongoing.body().data.map((entry: { id: number }) => entry.id),
      [a.id]
    )
    const search = await asBrowser(
      client.get(`/api/meetings?search=${encodeURIComponent('budget 100%')}`),
      session
    )
    assert.deepEqual(
      search.body().data.map((entry: { id: number }) => entry.id),
      [b.id]
    )
    const year = new Date().getUTCFullYear()
    const thisYear = await asBrowser(client.get(`/api/meetings?year=${year}`), session)
    assert.equal(thisYear.body().meta.total, 2)
    const lastYear = await asBrowser(client.get(`/api/meetings?year=${year - 1}`), session)
    assert.equal(lastYear.body().meta.total, 0)
    const paged = await asBrowser(client.get('/api/meetings?per_page=1&page=2'), session)
    assert.deepInclude(paged.body().meta, { total: 2, per_page: 1, current_page: 2, last_page: 2 })
    // upcoming (not started) first, then by start_time descending
    const all = await asBrowser(client.get('/api/meetings'), session)
    assert.deepEqual(
      all.body().data.map((entry: { id: number }) => entry.id),
      [b.id, a.id]
    )
    const bad = await asBrowser(client.get('/api/meetings?state=sleeping'), session)
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'state')
  })

  test('detail: full object for participants and public meetings, list fields for preview', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const pia = await givenUser(organisation)
    const listed = await givenMeeting(organisation, { visibleInLists: true })
    const publicOne = await givenMeeting(organisation, { public: true })
    const session = await loginBrowser(client, host, pia)

    const preview = await asBrowser(client.get(`/api/meetings/${listed.id}`), session)
    preview.assertStatus(200)
    assert.notProperty(preview.body(), 'body')
    assert.isNull(preview.body().current_user_roles)
    ;(
      await asBrowser(client.patch(`/api/meetings/${listed.id}`), session).json({ title: 'x' })
    ).assertStatus(403)
    ;(await asBrowser(client.get(`/api/meetings/${listed.id}/event`), session)).assertStatus(403)

    const anonymous = await client.get(`/api/meetings/${publicOne.id}`).header('host', host)
    anonymous.assertStatus(200)
    assert.property(anonymous.body(), 'body')
    assert.isNull(anonymous.body().current_user_roles)
    assert.isNull(anonymous.body().dialect)

    await givenRoles(listed, pia, ['pa'])
    const full = await asBrowser(client.get(`/api/meetings/${listed.id}`), session)
    assert.deepEqual(full.body().current_user_roles, ['pa'])
    assert.containsSubset(full.body(), {
      id: listed.id,
      rev: listed.rev,
      state: 'upcoming',
      er_policy_name: 'auto_before_poll',
      proposal_id_policy_name: null,
      installed_dialect: null,
      archive_after: null,
      delete_requested: null,
      pre_delete_state: null,
    })
  })

  test('public meetings: anonymous visitors read non-private agenda items only', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const meeting = await givenMeeting(organisation, { public: true })
    const shown = await givenAgendaItem(meeting, 'upcoming')
    const hidden = await givenAgendaItem(meeting, 'private')
    const list = await client.get(`/api/agenda-items?meeting=${meeting.id}`).header('host', host)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((item: { id: number }) => item.id),
      [shown.id]
    )
    ;(await client.get(`/api/agenda-items/${shown.id}`).header('host', host)).assertStatus(200)
    ;(await client.get(`/api/agenda-items/${hidden.id}`).header('host', host)).assertStatus(404)
    ;(
      await client
        .post(`/api/agenda-items/${shown.id}/event`)
        .header('host', host)
        .json({ event: 'close' })
    ).assertStatus(401)
  })

  test('S59 a user who lost pa sees current_user_roles null on a listed meeting', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const ulf = await givenUser(organisation)
    const m1 = await givenMeeting(organisation, {
      moderator: mia,
      state: 'ongoing',
      visibleInLists: true,
    })
    await givenRoles(m1, ulf, ['pa'])
    const miaSession = await loginBrowser(client, host, mia)
    const available = await asBrowser(client.get('/api/meeting-roles/available'), miaSession)
    assert.deepEqual(
      available.body().data.map((role: { name: string }) => role.name),
      ['pa', 'mo', 'pv', 'di', 'pr']
    )
    const search = await asBrowser(
      client.get(`/api/meeting-roles?context=${m1.id}&search=${ulf.email!.slice(0, 6)}`),
      miaSession
    )
    assert.deepEqual(
      search.body().data.map((row: { user: { id: number } }) => row.user.id),
      [ulf.id]
    )
    assert.equal(search.body().data[0].user.email, ulf.email)
    const added = await asBrowser(client.post('/api/meeting-roles/add'), miaSession).json({
      context: m1.id,
      users: [ulf.id],
      roles: ['mo'],
    })
    assert.deepEqual(added.body().results, [{ user: ulf.id, assigned: ['pa', 'mo'] }])
    await asBrowser(client.post('/api/meeting-roles/remove'), miaSession).json({
      context: m1.id,
      users: [ulf.id],
      roles: ['pa'],
    })
    const ulfView = await asBrowser(
      client.get(`/api/meetings/${m1.id}`),
      await loginBrowser(client, host, ulf)
    )
    ulfView.assertStatus(200)
    assert.isNull(ulfView.body().current_user_roles)
  })

  test('participants see other participants without e-mail; roles filter and user_id_in work', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const pia = await givenUser(organisation)
    const ola = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    await givenRoles(meeting, pia, ['pa'])
    await givenRoles(meeting, ola, ['pv'])
    const session = await loginBrowser(client, host, pia)
    const list = await asBrowser(client.get(`/api/meeting-roles?context=${meeting.id}`), session)
    list.assertStatus(200)
    const rows = new Map(
      list
        .body()
        .data.map((row: { user: { id: number; email: string | null } }) => [
          row.user.id,
          row.user.email,
        ])
    )
    assert.isNull(rows.get(ola.id))
    assert.equal(rows.get(pia.id), pia.email)
    const voters = await asBrowser(
      client.get(`/api/meeting-roles?context=${meeting.id}&roles=pv`),
      session
    )
    assert.equal(voters.status(), 200, JSON.stringify(voters.body()))
    assert.deepEqual(
      voters.body().data.map((row: { user: { id: number } }) => row.user.id),
      [ola.id]
    )
    const some = await asBrowser(
      client.get(`/api/meeting-roles?context=${meeting.id}&user_id_in=${mia.id},${ola.id}`),
      session
    )
    assert.sameMembers(
      some.body().data.map((row: { user: { id: number } }) => row.user.id),
      [mia.id, ola.id]
    )
  })
})

test.group('Meetings API | people lookup in a meeting (api.md §6.2)', () => {
  test('GET /api/users?meeting= lists participants only, with search and any_roles', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const ulf = await givenUser(organisation, { firstName: 'Ulfrik' })
    const pia = await givenUser(organisation)
    const outsider = await givenUser(organisation, { firstName: 'Ulfhild' })
    const meeting = await givenMeeting(organisation, { moderator: mia })
    await givenRoles(meeting, ulf, ['pv'])
    await givenRoles(meeting, pia, ['pa'])
    const piaSession = await loginBrowser(client, host, pia)
    const all = await asBrowser(client.get(`/api/users?meeting=${meeting.id}`), piaSession)
    all.assertStatus(200)
    assert.sameMembers(
      all.body().data.map((user: { id: number }) => user.id),
      [mia.id, ulf.id, pia.id]
    )
    assert.isNull(all.body().data.find((user: { id: number }) => user.id === ulf.id).email)
    const search = await asBrowser(
      client.get(`/api/users?meeting=${meeting.id}&search=ulf`),
      piaSession
    )
    assert.deepEqual(
      search.body().data.map((user: { id: number }) => user.id),
      [ulf.id]
    )
    const voters = await asBrowser(
      client.get(`/api/users?meeting=${meeting.id}&any_roles=pv,mo`),
      piaSession
    )
    assert.sameMembers(
      voters.body().data.map((user: { id: number }) => user.id),
      [mia.id, ulf.id]
    )
    const modView = await asBrowser(
      client.get(`/api/users?meeting=${meeting.id}&search=ulf`),
      await loginBrowser(client, host, mia)
    )
    assert.equal(modView.body().data[0].email, ulf.email)
    const outsiderView = await asBrowser(
      client.get(`/api/users?meeting=${meeting.id}`),
      await loginBrowser(client, host, outsider)
    )
    outsiderView.assertStatus(422)
  })
})

test.group('Meetings API | state rules and bad input (nothing changes)', () => {
  test('archived and archiving meetings: no changes, roles or groups; deletion still possible', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const olle = await givenUser(organisation, { roles: ['org_manager'] })
    const meeting = await givenMeeting(organisation, { moderator: mia, state: 'archiving' })
    const session = await loginBrowser(client, host, mia)
    const before = await auditCount(organisation.id)
    ;(
      await asBrowser(client.patch(`/api/meetings/${meeting.id}`), session).json({ title: 'x' })
    ).assertStatus(403)
    ;(
      await asBrowser(client.post('/api/meeting-roles/add'), session).json({
        context: meeting.id,
        users: [olle.id],
        roles: ['pa'],
      })
    ).assertStatus(403)
    ;(
      await asBrowser(
        client.post('/api/meeting-roles/add'),
        await loginBrowser(client, host, olle)
      ).json({ context: meeting.id, users: [olle.id], roles: ['pa'] })
    ).assertStatus(403)
    ;(
      await asBrowser(client.post('/api/meeting-groups'), session).json({
        meeting: meeting.id,
        title: 'G',
      })
    ).assertStatus(403)
    ;(
      await asBrowser(client.post('/api/agenda-items'), session).json({
        meeting: meeting.id,
        title: 'A',
      })
    ).assertStatus(403)
    assert.equal(await auditCount(organisation.id), before)
    const deleting = await asBrowser(
      client.post(`/api/meetings/${meeting.id}/event`),
      session
    ).json({ event: 'request_delete' })
    deleting.assertStatus(200)
    assert.equal(deleting.body().object.pre_delete_state, 'archiving')
  })

  test('a closed meeting can still be changed; dialect changes need upcoming', async ({
    client,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia, state: 'closed' })
    const session = await loginBrowser(client, host, mia)
    ;(
      await asBrowser(client.patch(`/api/meetings/${meeting.id}`), session).json({
        body: '<p>Minutes</p><script>x</script>',
      })
    ).assertStatus(200)
  })

  test('invalid meeting payloads answer 422 naming the field and create nothing', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const cleo = await givenUser(organisation, { roles: ['meeting_creator'] })
    const session = await loginBrowser(client, host, cleo)
    const before = await auditCount(organisation.id)
    const cases: Array<[object, string]> = [
      [{}, 'title'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(101) }, 'title'],
      [{ title: 'ok', er_policy_name: 'bogus' }, 'er_policy_name'],
      [{ title: 'ok', proposal_id_policy_name: 'username' }, 'proposal_id_policy_name'],
      [{ title: 'ok', public: 'yes' }, 'public'],
      [{ title: 'ok', sls: { method_name: 'simple' } }, 'sls'],
      [{ title: 'ok', room: { title: '' } }, 'room.title'],
      [
        { title: 'ok', room: { title: 'Plenary' }, sls: { method_name: 'nope' } },
        'sls.method_name',
      ],
      [{ title: 'ok', install_dialect: 'nope' }, 'install_dialect'],
    ]
    for (const [body, field] of cases) {
      const response = await asBrowser(client.post('/api/meetings'), session).json(body)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field, JSON.stringify(body))
    }
    assert.equal(await auditCount(organisation.id), before)
  })

  test('PATCH ignores machine-managed fields, sanitises the body and publishes meeting.changed', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)
    const { result, messages } = await capturePublished(() =>
      asBrowser(client.patch(`/api/meetings/${meeting.id}`), session).json({
        title: 'Renamed',
        body: '<p onclick="x()">Hello</p><script>alert(1)</script>',
        state: 'closed',
        archive_after: '2020-01-01T00:00:00Z',
        group_votes_active: true,
      })
    )
    result.assertStatus(200)
    assert.equal(result.body().state, 'upcoming')
    assert.isNull(result.body().archive_after)
    assert.equal(result.body().body, '<p>Hello</p>')
    assert.equal(result.body().rev, meeting.rev + 1)
    assert.isTrue(result.body().group_votes_active)
    assert.deepEqual(
      messages.map((message) => `${message.channel} ${message.type}`),
      [`meetings/${meeting.id} meeting.changed`]
    )
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('event', 'meeting.updated')
      .firstOrFail()
    assert.deepEqual(entry.changes.title, ['Meeting', 'Renamed'])
    assert.deepEqual(entry.changes.group_votes_active, [false, true])
    // a no-op PATCH writes nothing
    const again = await asBrowser(client.patch(`/api/meetings/${meeting.id}`), session).json({
      title: 'Renamed',
    })
    assert.equal(again.body().rev, meeting.rev + 1)
  })

  test('er_policy_name cannot change while a poll is ongoing', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const session = await loginBrowser(client, host, mia)
    const stop = fakeOngoingPolls(meeting.id)
    try {
      const response = await asBrowser(client.patch(`/api/meetings/${meeting.id}`), session).json({
        er_policy_name: 'manual',
      })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, 'er_policy_name')
    } finally {
      stop()
    }
    assert.equal((await reloadMeeting(meeting))!.erPolicyName, 'auto_before_poll')
  })

  test('events: unknown names, missing body, wrong state and unknown ids', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)
    const unknown = await asBrowser(client.post(`/api/meetings/${meeting.id}/event`), session).json(
      { event: 'explode' }
    )
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].code, 'transition.unavailable')
    assert.sameMembers(unknown.body().errors[0].meta.allowed_events, [
      'make_ongoing',
      'request_delete',
    ])
    const internal = await asBrowser(
      client.post(`/api/meetings/${meeting.id}/event`),
      session
    ).json({ event: 'archive' })
    internal.assertStatus(422)
    const missing = await asBrowser(client.post(`/api/meetings/${meeting.id}/event`), session).json(
      {}
    )
    missing.assertStatus(422)
    assert.equal(missing.body().errors[0].field, 'event')
    const wrongState = await asBrowser(
      client.post(`/api/meetings/${meeting.id}/event`),
      session
    ).json({ event: 'close' })
    wrongState.assertStatus(422)
    assert.deepInclude(wrongState.body().errors[0].meta, { event: 'close', state: 'upcoming' })
    ;(
      await asBrowser(client.post('/api/meetings/999999/event'), session).json({ event: 'close' })
    ).assertStatus(404)
    ;(await asBrowser(client.get('/api/meetings/abc'), session)).assertStatus(404)
    assert.equal((await reloadMeeting(meeting))!.state, 'upcoming')
    const status = await asBrowser(client.get(`/api/meetings/${meeting.id}/event`), session)
    assert.deepEqual(status.body(), {
      state: 'upcoming',
      events: [
        {
          name: 'make_ongoing',
          title: 'Start meeting',
          target: 'ongoing',
          allowed: true,
          reasons: [],
        },
        {
          name: 'request_delete',
          title: 'Request deletion',
          target: 'deleting',
          allowed: true,
          reasons: [],
        },
      ],
    })
  })

  test('make_upcoming is refused while an agenda item is ongoing (D14)', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    await givenAgendaItem(meeting, 'ongoing')
    const session = await loginBrowser(client, host, mia)
    const response = await asBrowser(
      client.post(`/api/meetings/${meeting.id}/event`),
      session
    ).json({ event: 'make_upcoming' })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].code, 'meeting.ongoing_agenda_items')
  })

  test('role changes: unknown role, unknown or foreign user, missing context', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const other = await givenOrganisation()
    const mia = await givenUser(organisation)
    const ulf = await givenUser(organisation)
    const stranger = await givenUser(other.organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)
    const before = await auditCount(organisation.id)
    const cases: Array<[object, string]> = [
      [{ context: meeting.id, users: [ulf.id], roles: ['admin'] }, 'roles.0'],
      [{ context: meeting.id, users: [ulf.id, 999999], roles: ['pa'] }, 'users.1'],
      [{ context: meeting.id, users: [stranger.id], roles: ['pa'] }, 'users.0'],
      [{ users: [ulf.id], roles: ['pa'] }, 'context'],
      [{ context: 999999, users: [ulf.id], roles: ['pa'] }, 'context'],
      [{ context: meeting.id, users: [], roles: ['pa'] }, 'users'],
    ]
    for (const [body, field] of cases) {
      const response = await asBrowser(client.post('/api/meeting-roles/add'), session).json(body)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field, JSON.stringify(body))
    }
    assert.equal(await auditCount(organisation.id), before)
    assert.isNull(
      await MeetingRole.forOrganisation(organisation.id).where('user_id', ulf.id).first()
    )
    // legacy long names are accepted (domain §3.2)
    const legacy = await asBrowser(client.post('/api/meeting-roles/add'), session).json({
      context: meeting.id,
      users: [ulf.id],
      roles: ['potential_voter'],
    })
    assert.deepEqual(legacy.body().results, [{ user: ulf.id, assigned: ['pa', 'pv'] }])
  })

  test('paths also answer with a trailing slash (api.md §1)', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const meeting = await givenMeeting(organisation, { public: true })
    const list = await client.get('/api/meetings/').header('host', host)
    list.assertStatus(200)
    assert.include(
      list.body().data.map((entry: { id: number }) => entry.id),
      meeting.id
    )
    ;(await client.get(`/api/meetings/${meeting.id}/`).header('host', host)).assertStatus(200)
  })

  test('GET /api/state-machines publishes the meeting and agenda item machines', async ({
    client,
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const all = await client.get('/api/state-machines').header('host', host)
    all.assertStatus(200)
    assert.includeMembers(
      all.body().map((machine: { name: string }) => machine.name),
      ['Meeting', 'AgendaItem']
    )
    const one = await client.get('/api/state-machines/AgendaItem').header('host', host)
    assert.deepEqual(one.body().states, ['private', 'upcoming', 'ongoing', 'closed', 'archived'])
    assert.equal(one.body().initial, 'private')
    assert.deepEqual(one.body().final, ['archived'])
    ;(await client.get('/api/state-machines/Nope').header('host', host)).assertStatus(404)
  })
})
