import { test } from '@japa/runner'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { adminBrowser, loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

test.group('Admin | login and dashboard', () => {
  test('the login page renders a form with a CSRF field', async ({ client, assert }) => {
    const { host } = await givenOrganisation('Login Org')
    const browser = adminBrowser(client, host)
    const response = await visit(browser, '/admin/login')
    response.assertStatus(200)
    assert.include(response.text(), 'Login Org')
    assert.include(response.text(), 'name="email"')
    assert.include(response.text(), 'name="password"')
    assert.isString(browser.csrf)
  })

  test('an anonymous visit to /admin goes to the login page', async ({ client, assert }) => {
    const { host } = await givenOrganisation()
    const response = await visit(adminBrowser(client, host), '/admin')
    response.assertStatus(302)
    assert.equal(redirectedTo(response), '/admin/login?next=%2Fadmin')
  })

  test('a wrong password shows an error and keeps the email', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation, { roles: ['org_manager'] })
    const browser = adminBrowser(client, host)
    await visit(browser, '/admin/login')
    const response = await submit(browser, '/admin/login', {
      email: user.email!,
      password: 'wrong password',
    })
    response.assertStatus(302)
    assert.equal(redirectedTo(response), '/admin/login')
    const page = await visit(browser, '/admin/login')
    assert.include(page.text(), 'Invalid email or password')
    assert.include(page.text(), `value="${user.email}"`)
    // Still anonymous.
    assert.equal((await visit(browser, '/admin')).status(), 302)
  })

  test('a manager logs in and sees the dashboard with the manager navigation', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Managed Org')
    const user = await givenUser(organisation, { roles: ['org_manager'], firstName: 'Mia' })
    await givenUser(organisation)
    const browser = await loginAdmin(client, host, user)
    const response = await visit(browser, '/admin')
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'Welcome, Mia User.')
    for (const link of ['/admin/organisation', '/admin/users', '/admin/audit'])
      assert.include(html, `href="${link}"`)
    assert.include(html, 'Recent activity')
    assert.match(html, /stat-value">2<\/span>\s*<span class="stat-label">users/)
    assert.match(html, /stat-value">1<\/span>\s*<span class="stat-label">organisation managers/)
  })

  test('a plain member sees a friendly "nothing to manage" dashboard without manager links', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const member = await givenUser(organisation)
    const browser = await loginAdmin(client, host, member)
    const response = await visit(browser, '/admin')
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'Nothing to manage here')
    for (const link of ['/admin/organisation', '/admin/users', '/admin/audit'])
      assert.notInclude(html, `href="${link}"`)
  })

  test('log out ends the admin session', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const browser = await loginAdmin(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    await visit(browser, '/admin')
    const response = await submit(browser, '/admin/logout', {})
    assert.equal(redirectedTo(response), '/admin/login')
    const after = await visit(browser, '/admin')
    after.assertStatus(302)
    assert.match(redirectedTo(after)!, /^\/admin\/login/)
  })
})
