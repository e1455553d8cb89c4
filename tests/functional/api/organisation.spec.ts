import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import Organisation from '#models/organisation'
import OrganisationRole from '#models/organisation_role'
import UpdateOrganisation from '#actions/organisations/update_organisation'
import { systemActor } from '#services/audit_log'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'

test.group('Organisation | GET and PATCH /api/organisation (api.md §6.3)', () => {
  test('anyone reads the organisation of the host', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Readable')
    const response = await client.get('/api/organisation').header('host', host)
    response.assertStatus(200)
    assert.equal(response.body().id, organisation.id)
    assert.equal(response.body().title, 'Readable')
    for (const key of [
      'rev',
      'body',
      'help_info',
      'page_title',
      'login_url',
      'id_host',
      'scope',
      'components',
    ]) {
      assert.property(response.body(), key)
    }
  })

  test('an organisation manager changes body, help text and page title; sanitised and audited', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const response = await asBrowser(client.patch('/api/organisation'), session).json({
      body: '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>',
      page_title: 'Welcome',
    })
    response.assertStatus(200)
    assert.equal(response.body().page_title, 'Welcome')
    assert.notInclude(response.body().body, 'script')
    assert.notInclude(response.body().body, 'onclick')
    assert.notInclude(response.body().body, 'javascript:')
    assert.equal(response.body().rev, 2)
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'organisation.updated')
      .firstOrFail()
    assert.deepEqual(Object.keys(entry.changes).sort(), ['body', 'page_title'])
  })

  test('members without org_manager get 403 and nothing changes', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    for (const roles of [[], ['meeting_creator']] as const) {
      const session = await loginBrowser(
        client,
        host,
        await givenUser(organisation, { roles: [...roles] })
      )
      const response = await asBrowser(client.patch('/api/organisation'), session).json({
        page_title: 'Nope',
      })
      response.assertStatus(403)
      assert.equal(response.body().errors[0].code, 'permission.denied')
    }
    await organisation.refresh()
    assert.equal(organisation.pageTitle, '')
  })

  test('anonymous PATCH is 401', async ({ client }) => {
    const { host } = await givenOrganisation()
    ;(
      await client.patch('/api/organisation').header('host', host).json({ page_title: 'x' })
    ).assertStatus(401)
  })

  test('bad input names the field', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const response = await asBrowser(client.patch('/api/organisation'), session).json({
      page_title: 'x'.repeat(300),
      body: 5,
    })
    response.assertStatus(422)
    assert.includeMembers(
      response.body().errors.map((e: { field: string }) => e.field),
      ['page_title', 'body']
    )
  })

  test('unparsable JSON is a 400', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const response = await asBrowser(client.patch('/api/organisation'), session).unsafeJson(
      '{"page_title":'
    )
    response.assertStatus(400)
    assert.equal(response.body().errors[0].code, 'bad_request')
  })
})

test.group('Organisation roles | /api/organisation-roles (api.md §6.4, domain §6.2)', () => {
  test('lists available roles to any authenticated user', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(client, host, await givenUser(organisation))
    const response = await asBrowser(client.get('/api/organisation-roles/available'), session)
    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((r: { name: string }) => r.name),
      ['org_manager', 'meeting_creator']
    )
  })

  test('a manager adds and removes roles; rows are deleted when empty; every change audited', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const target = await givenUser(organisation)

    const add = await asBrowser(client.post('/api/organisation-roles/add'), session).json({
      users: [target.id],
      roles: ['meeting_creator', 'org_manager'],
    })
    add.assertStatus(200)
    assert.deepEqual(add.body().results, [
      { user: target.id, assigned: ['org_manager', 'meeting_creator'] },
    ])

    const list = await asBrowser(
      client.get('/api/organisation-roles?roles=meeting_creator'),
      session
    )
    assert.include(
      list.body().data.map((r: { user: { id: number } }) => r.user.id),
      target.id
    )

    const remove = await asBrowser(client.post('/api/organisation-roles/remove'), session).json({
      users: [target.id],
      roles: ['org_manager', 'meeting_creator'],
    })
    remove.assertStatus(200)
    assert.deepEqual(remove.body().results, [{ user: target.id, assigned: [] }])
    assert.isNull(
      await OrganisationRole.forOrganisation(organisation.id).where('user_id', target.id).first()
    )

    const entries = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'organisation_roles.changed')
      .where('source', 'api')
      .orderBy('id')
    assert.deepEqual(
      entries.map((e) => e.action),
      ['create', 'delete']
    )
  })

  test('adding roles someone already has changes nothing and writes no entry', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const target = await givenUser(organisation, { roles: ['meeting_creator'] })
    const before = await AuditEntry.forOrganisation(organisation.id).count('* as n')
    const add = await asBrowser(client.post('/api/organisation-roles/add'), session).json({
      users: [target.id],
      roles: ['meeting_creator'],
    })
    add.assertStatus(200)
    const after = await AuditEntry.forOrganisation(organisation.id).count('* as n')
    assert.equal(Number(after[0].$extras.n), Number(before[0].$extras.n))
  })

  test('non-managers can neither list nor change roles', async ({ client }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['meeting_creator'] })
    )
    const target = await givenUser(organisation)
    ;(await asBrowser(client.get('/api/organisation-roles'), session)).assertStatus(403)
    ;(
      await asBrowser(client.post('/api/organisation-roles/add'), session).json({
        users: [target.id],
        roles: ['org_manager'],
      })
    ).assertStatus(403)
    ;(
      await asBrowser(client.post('/api/organisation-roles/remove'), session).json({
        users: [target.id],
        roles: ['org_manager'],
      })
    ).assertStatus(403)
    ;(await asBrowser(client.get('/api/users'), session)).assertStatus(403)
    ;(await asBrowser(client.get('/api/audit-entries'), session)).assertStatus(403)
  })

  test('unknown roles and malformed bodies are 422 naming the field', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const target = await givenUser(organisation)
    const unknown = await asBrowser(client.post('/api/organisation-roles/add'), session).json({
      users: [target.id],
      roles: ['pope'],
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'roles.0')
    const empty = await asBrowser(client.post('/api/organisation-roles/add'), session).json({
      users: [],
      roles: 'x',
    })
    empty.assertStatus(422)
    assert.includeMembers(
      empty.body().errors.map((e: { field: string }) => e.field),
      ['users', 'roles']
    )
    const missing = await asBrowser(client.post('/api/organisation-roles/add'), session).json({
      users: [999999],
      roles: ['org_manager'],
    })
    missing.assertStatus(422)
    assert.equal(missing.body().errors[0].field, 'users.0')
  })
})

test.group('Users | GET /api/users and PATCH /api/user/:id (api.md §6.2)', () => {
  test('managers search users case-insensitively and page through them', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    await givenUser(organisation, { firstName: 'Zelda' })
    await givenUser(organisation, { firstName: 'Yannick' })
    const search = await asBrowser(client.get('/api/users?search=zEL'), session)
    search.assertStatus(200)
    assert.deepEqual(
      search.body().data.map((u: { first_name: string }) => u.first_name),
      ['Zelda']
    )
    const page = await asBrowser(client.get('/api/users?per_page=2&page=2'), session)
    assert.deepEqual(page.body().meta, { total: 3, per_page: 2, current_page: 2, last_page: 2 })
    const bad = await asBrowser(client.get('/api/users?per_page=0&page=x'), session)
    bad.assertStatus(422)
    assert.includeMembers(
      bad.body().errors.map((e: { field: string }) => e.field),
      ['per_page', 'page']
    )
  })

  test('a user edits their own profile; email and userid stay unique', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const other = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const ok = await asBrowser(client.patch(`/api/user/${user.id}`), session).json({
      first_name: 'Ada',
      userid: 'ada',
    })
    ok.assertStatus(200)
    assert.equal(ok.body().userid, 'ada')
    const clash = await asBrowser(client.patch(`/api/user/${user.id}`), session).json({
      email: other.email!.toUpperCase(),
    })
    clash.assertStatus(422)
    assert.equal(clash.body().errors[0].field, 'email')
    const badUserid = await asBrowser(client.patch(`/api/user/${user.id}`), session).json({
      userid: 'Not Valid!',
    })
    badUserid.assertStatus(422)
    assert.equal(badUserid.body().errors[0].field, 'userid')
    const someoneElse = await asBrowser(client.patch(`/api/user/${other.id}`), session).json({
      first_name: 'X',
    })
    someoneElse.assertStatus(403)
  })
})

test.group('Audit | entries are written in the same transaction (domain §19.1)', () => {
  test('a committed change always has its entry', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    await new UpdateOrganisation().execute({
      organisation,
      changes: { page_title: 'One' },
      actor: systemActor('cli'),
    })
    const entries = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'organisation.updated'
    )
    assert.lengthOf(entries, 1)
    assert.deepEqual(entries[0].changes, { page_title: ['', 'One'] })
    assert.equal(entries[0].source, 'cli')
  })

  test('a forced failure while auditing leaves neither the change nor an entry', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const original = AuditEntry.create
    AuditEntry.create = (async () => {
      throw new Error('disk full')
    }) as typeof AuditEntry.create
    try {
      await assert.rejects(
        () =>
          new UpdateOrganisation().execute({
            organisation,
            changes: { page_title: 'Lost' },
            actor: systemActor('cli'),
          }),
        /disk full/
      )
    } finally {
      AuditEntry.create = original
    }
    const reloaded = await Organisation.findOrFail(organisation.id)
    assert.equal(reloaded.pageTitle, '')
    assert.equal(reloaded.rev, 1)
    assert.lengthOf(
      await AuditEntry.forOrganisation(organisation.id).where('event', 'organisation.updated'),
      0
    )
  })

  test('GET /api/audit-entries filters by event, actor and time, and refuses bad filters', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const session = await loginBrowser(client, host, manager)
    await asBrowser(client.patch('/api/organisation'), session).json({ page_title: 'Audited' })
    const byEvent = await asBrowser(
      client.get(`/api/audit-entries?event=organisation.updated&actor=${manager.id}`),
      session
    )
    byEvent.assertStatus(200)
    assert.lengthOf(byEvent.body().data, 1)
    assert.equal(byEvent.body().data[0].actor, manager.id)
    assert.match(byEvent.body().data[0].created, /Z$/)
    const future = await asBrowser(
      client.get('/api/audit-entries?since=2999-01-01T00:00:00Z'),
      session
    )
    assert.lengthOf(future.body().data, 0)
    const past = await asBrowser(
      client.get('/api/audit-entries?until=2000-01-01T00:00:00Z'),
      session
    )
    assert.lengthOf(past.body().data, 0)
    const bad = await asBrowser(
      client.get('/api/audit-entries?since=yesterday&action=poke'),
      session
    )
    bad.assertStatus(422)
    assert.includeMembers(
      bad.body().errors.map((e: { field: string }) => e.field),
      ['since', 'action']
    )
  })
})
