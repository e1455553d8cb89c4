import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import Organisation from '#models/organisation'
import User from '#models/user'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { adminBrowser, loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

const MANAGER_PAGES = ['/admin/organisation', '/admin/users', '/admin/users/new', '/admin/audit']
const userPages = (id: number) => [`/admin/users/${id}`, `/admin/users/${id}/edit`]

test.group('Admin | manager screens refuse others', () => {
  test('anonymous visitors are sent to the login page from every manager screen', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const someone = await givenUser(organisation)
    for (const path of [...MANAGER_PAGES, ...userPages(someone.id)]) {
      const response = await visit(adminBrowser(client, host), path)
      assert.equal(response.status(), 302, path)
      assert.equal(redirectedTo(response), `/admin/login?next=${encodeURIComponent(path)}`, path)
    }
  })

  test('anonymous form posts are refused and change nothing', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Before')
    const someone = await givenUser(organisation)
    // A real token of an anonymous session, so that only the missing login refuses the post.
    const browser = adminBrowser(client, host)
    await visit(browser, '/admin/login')
    const posts: Array<[string, Record<string, string>]> = [
      ['/admin/organisation', { title: 'Hacked' }],
      ['/admin/users', { email: 'intruder@example.org' }],
      [`/admin/users/${someone.id}/roles`, { role: 'org_manager', mode: 'add' }],
      [`/admin/users/${someone.id}/active`, { active: '0' }],
      [`/admin/users/${someone.id}/password`, {}],
      [`/admin/users/${someone.id}`, { email: 'hijacked@example.org' }],
    ]
    for (const [path, fields] of posts) {
      const response = await submit(browser, path, fields)
      assert.equal(response.status(), 302, path)
      assert.match(redirectedTo(response)!, /^\/admin\/login/, path)
    }
    await organisation.refresh()
    assert.equal(organisation.title, 'Before')
    assert.equal(
      await AuditEntry.forOrganisation(organisation.id)
        .where('source', 'admin')
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      0
    )
  })

  test('a plain member gets a 403 page on every manager screen', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const member = await givenUser(organisation, { roles: ['meeting_creator'] })
    const browser = await loginAdmin(client, host, member)
    for (const path of [...MANAGER_PAGES, ...userPages(member.id)]) {
      const response = await visit(browser, path)
      assert.equal(response.status(), 403, path)
      assert.include(response.text(), 'You do not have permission to see this page', path)
    }
  })

  test('a plain member cannot post the manager forms and nothing changes', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Before')
    const member = await givenUser(organisation)
    const other = await givenUser(organisation)
    const browser = await loginAdmin(client, host, member)
    await visit(browser, '/admin')
    const posts: Array<[string, Record<string, string>]> = [
      ['/admin/organisation', { title: 'Hacked' }],
      ['/admin/users', { email: 'intruder@example.org' }],
      [`/admin/users/${member.id}/roles`, { role: 'org_manager', mode: 'add' }],
      [`/admin/users/${other.id}/active`, { active: '0' }],
    ]
    for (const [path, fields] of posts) {
      const response = await submit(browser, path, fields)
      assert.equal(response.status(), 302, path)
      assert.equal(redirectedTo(response), '/admin', path)
    }
    const page = await visit(browser, '/admin')
    assert.include(page.text(), 'Access denied')

    assert.equal((await Organisation.findOrFail(organisation.id)).title, 'Before')
    assert.isNull(
      await User.forOrganisation(organisation.id).where('email', 'intruder@example.org').first()
    )
    assert.isTrue((await User.findInOrganisation(organisation.id, other.id))!.isActive)
    const roles = await rolesOf(organisation.id, member.id)
    assert.deepEqual(roles, [])
  })

  test('a manager of another organisation is not let in on this host', async ({
    client,
    assert,
  }) => {
    const a = await givenOrganisation()
    const b = await givenOrganisation()
    const manager = await givenUser(a.organisation, { roles: ['org_manager'] })
    const browser = adminBrowser(client, b.host)
    await visit(browser, '/admin/login')
    const response = await submit(browser, '/admin/login', {
      email: manager.email!,
      password: 'correct horse battery staple',
    })
    assert.equal(redirectedTo(response), '/admin/login')
    assert.equal((await visit(browser, '/admin/users')).status(), 302)
  })

  test('a user of another organisation is a 404 for a manager', async ({ client, assert }) => {
    const a = await givenOrganisation()
    const b = await givenOrganisation()
    const stranger = await givenUser(b.organisation)
    const browser = await loginAdmin(
      client,
      a.host,
      await givenUser(a.organisation, { roles: ['org_manager'] })
    )
    const response = await visit(browser, `/admin/users/${stranger.id}`)
    response.assertStatus(404)
    await visit(browser, '/admin/users')
    const post = await submit(browser, `/admin/users/${stranger.id}/roles`, {
      role: 'org_manager',
      mode: 'add',
    })
    post.assertStatus(404)
    assert.deepEqual(await rolesOf(b.organisation.id, stranger.id), [])
  })
})

async function rolesOf(organisationId: number, userId: number) {
  const { default: OrganisationRole } = await import('#models/organisation_role')
  const row = await OrganisationRole.forOrganisation(organisationId)
    .where('user_id', userId)
    .first()
  return row?.assigned ?? []
}

test.group('Admin | static files', () => {
  test('the stylesheet is served from public/; API paths never are', async ({ client, assert }) => {
    const { host } = await givenOrganisation()
    const css = await client.get('/css/admin.css').header('host', host)
    css.assertStatus(200)
    assert.include(css.header('content-type'), 'text/css')
    const api = await client.get('/api/css/admin.css').header('host', host)
    api.assertStatus(404)
    assert.equal(api.body().errors[0].code, 'not_found')
  })
})
