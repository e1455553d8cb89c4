import { test } from '@japa/runner'
import User from '#models/user'
import AuditEntry from '#models/audit_entry'
import OrganisationRole from '#models/organisation_role'
import OrganisationHost from '#models/organisation_host'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'

/**
 * Issue 3: a user of organisation A can read or change nothing of organisation
 * B, not even by guessing ids — including an organisation manager of A.
 */
async function twoOrganisations(client: Parameters<typeof loginBrowser>[0]) {
  const a = await givenOrganisation('A')
  const b = await givenOrganisation('B')
  const managerA = await givenUser(a.organisation, { roles: ['org_manager'] })
  const userB = await givenUser(b.organisation, { roles: ['meeting_creator'] })
  const session = await loginBrowser(client, a.host, managerA)
  return { a, b, managerA, userB, session }
}

test.group('Tenancy | isolation between organisations (domain §1.3)', () => {
  test('lists show only the host organisation', async ({ client, assert }) => {
    const { a, b, session, userB } = await twoOrganisations(client)
    const users = await asBrowser(client.get('/api/users'), session)
    users.assertStatus(200)
    assert.notInclude(
      users.body().data.map((u: { id: number }) => u.id),
      userB.id
    )

    const byId = await asBrowser(client.get(`/api/users?user_id_in=${userB.id}`), session)
    assert.lengthOf(byId.body().data, 0)

    const roles = await asBrowser(client.get('/api/organisation-roles'), session)
    assert.isTrue(
      roles.body().data.every((row: { context: number }) => row.context === a.organisation.id)
    )

    const audit = await asBrowser(client.get('/api/audit-entries?per_page=500'), session)
    assert.isTrue(
      audit
        .body()
        .data.every((entry: { organisation: number }) => entry.organisation === a.organisation.id)
    )
    const [countB] = await AuditEntry.forOrganisation(b.organisation.id).count('* as total')
    assert.isAbove(Number(countB.$extras.total), 0)
  })

  test('cannot change a user of another organisation by guessing its id', async ({
    client,
    assert,
  }) => {
    const { session, userB } = await twoOrganisations(client)
    const response = await asBrowser(client.patch(`/api/user/${userB.id}`), session).json({
      first_name: 'Hacked',
    })
    response.assertStatus(404)
    assert.equal((await User.findForAuthentication(userB.id))!.firstName, 'Test')
  })

  test('cannot give roles to a user of another organisation', async ({ client, assert }) => {
    const { b, session, userB } = await twoOrganisations(client)
    const response = await asBrowser(client.post('/api/organisation-roles/add'), session).json({
      users: [userB.id],
      roles: ['org_manager'],
    })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'users.0')
    const row = await OrganisationRole.forOrganisation(b.organisation.id)
      .where('user_id', userB.id)
      .firstOrFail()
    assert.deepEqual(row.assigned, ['meeting_creator'])
  })

  test('cannot name another organisation as role context', async ({ client }) => {
    const { a, b, session, managerA } = await twoOrganisations(client)
    const add = await asBrowser(client.post('/api/organisation-roles/add'), session).json({
      context: b.organisation.id,
      users: [managerA.id],
      roles: ['meeting_creator'],
    })
    add.assertStatus(422)
    const list = await asBrowser(
      client.get(`/api/organisation-roles?context=${b.organisation.id}`),
      session
    )
    list.assertStatus(422)
    const own = await asBrowser(
      client.get(`/api/organisation-roles?context=${a.organisation.id}`),
      session
    )
    own.assertStatus(200)
  })

  test('cannot revoke a token of a user of another organisation', async ({ client }) => {
    const { b, session, userB } = await twoOrganisations(client)
    const sessionB = await loginBrowser(client, b.host, userB)
    const created = await asBrowser(client.post('/api/auth/tokens'), sessionB).json({ name: 'b' })
    created.assertStatus(201)
    const response = await asBrowser(
      client.delete(`/api/auth/tokens/${created.body().id}`),
      session
    )
    response.assertStatus(404)
    ;(await asBrowser(client.get('/api/auth/tokens'), sessionB)).assertBodyContains({
      data: [{ id: created.body().id }],
    })
  })

  test('changing the organisation only changes the host organisation', async ({
    client,
    assert,
  }) => {
    const { a, b, session } = await twoOrganisations(client)
    const response = await asBrowser(client.patch('/api/organisation'), session).json({
      page_title: 'Mine',
    })
    response.assertStatus(200)
    assert.equal(response.body().id, a.organisation.id)
    await b.organisation.refresh()
    assert.equal(b.organisation.pageTitle, '')
  })
})

test.group('Tenancy | host resolution is remembered briefly (services/tenancy)', () => {
  test('a change saved through the models is seen by the next request', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Before')
    const session = await loginBrowser(client, host, await givenUser(organisation))
    ;(await asBrowser(client.get('/api/user'), session)).assertStatus(200)

    organisation.active = false
    await organisation.save()
    const refused = await asBrowser(client.get('/api/user'), session)
    refused.assertStatus(401)
    assert.equal(refused.body().errors[0].code, 'auth.organisation_inactive')

    organisation.active = true
    await organisation.save()
    ;(await asBrowser(client.get('/api/user'), session)).assertStatus(200)
    const moved = await OrganisationHost.query().where('host', host).firstOrFail()
    await moved.delete()
    ;(await client.get('/api/organisation').header('host', host)).assertStatus(404)
  })
})

test.group('Tenancy | the scoping mechanism fails loudly', () => {
  test('an unscoped read of a tenant-owned model throws', async ({ assert }) => {
    await assert.rejects(() => User.query().first(), /without an organisation constraint/)
    await assert.rejects(() => User.find(1), /without an organisation constraint/)
    await assert.rejects(() => AuditEntry.all(), /without an organisation constraint/)
  })

  test('scoped reads and relationship queries work', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const user = await givenUser(organisation, { roles: ['org_manager'] })
    const found = await User.findInOrganisation(organisation.id, user.id)
    assert.equal(found?.id, user.id)
    await found!.load('organisationRole')
    assert.deepEqual(found!.organisationRole.assigned, ['org_manager'])
    const other = await givenOrganisation()
    assert.isNull(await User.findInOrganisation(other.organisation.id, user.id))
  })
})
