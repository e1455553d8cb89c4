import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import Organisation from '#models/organisation'
import OrganisationRole from '#models/organisation_role'
import { givenOrganisation, givenUser, PASSWORD } from '#tests/helpers/world'
import { adminBrowser, loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

async function auditCount(organisationId: number, event: string) {
  const rows = await AuditEntry.forOrganisation(organisationId)
    .where('event', event)
    .count('* as n')
  return Number(rows[0].$extras.n)
}

test.group('Admin | CSRF on the admin forms', () => {
  test('the settings form without _csrf is refused and changes nothing; with the token it is accepted', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Original')
    const browser = await loginAdmin(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    await visit(browser, '/admin/organisation')
    const fields = {
      title: 'Changed',
      page_title: '',
      body: '',
      help_info: '',
      password_login: '1',
    }

    const missing = await submit(browser, '/admin/organisation', fields, { csrf: false })
    assert.equal(missing.status(), 302)
    assert.equal(redirectedTo(missing), '/admin/organisation')
    assert.equal((await Organisation.findOrFail(organisation.id)).title, 'Original')
    assert.equal(await auditCount(organisation.id, 'organisation.updated'), 0)
    assert.include(
      (await visit(browser, '/admin/organisation')).text(),
      'Invalid or expired CSRF token'
    )

    const forged = await submit(browser, '/admin/organisation', fields, { csrf: 'forged-token' })
    assert.equal(redirectedTo(forged), '/admin/organisation')
    assert.equal((await Organisation.findOrFail(organisation.id)).title, 'Original')

    await visit(browser, '/admin/organisation')
    const accepted = await submit(browser, '/admin/organisation', fields)
    assert.equal(redirectedTo(accepted), '/admin/organisation')
    assert.equal((await Organisation.findOrFail(organisation.id)).title, 'Changed')
    assert.equal(await auditCount(organisation.id, 'organisation.updated'), 1)
  })

  test('a token from another browser session is refused', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Original')
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const victim = await loginAdmin(client, host, manager)
    const attacker = adminBrowser(client, host)
    await visit(attacker, '/admin/login')
    // The attacker knows a valid token of *their own* session, not of the victim's.
    const response = await submit(
      victim,
      '/admin/organisation',
      { title: 'Pwned' },
      { csrf: attacker.csrf! }
    )
    assert.equal(response.status(), 302)
    assert.equal((await Organisation.findOrFail(organisation.id)).title, 'Original')
  })

  test('role changes and user creation need the token too', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const browser = await loginAdmin(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const user = await givenUser(organisation)
    await visit(browser, `/admin/users/${user.id}`)

    await submit(
      browser,
      `/admin/users/${user.id}/roles`,
      { role: 'org_manager', mode: 'add' },
      { csrf: false }
    )
    assert.isNull(
      await OrganisationRole.forOrganisation(organisation.id).where('user_id', user.id).first()
    )
    await submit(browser, `/admin/users/${user.id}/active`, { active: '0' }, { csrf: false })
    assert.equal(await auditCount(organisation.id, 'user.deactivated'), 0)
    await submit(browser, '/admin/users', { email: 'csrf@example.org' }, { csrf: false })
    assert.equal(await auditCount(organisation.id, 'user.created'), 2) // the manager and the user given above

    await submit(browser, `/admin/users/${user.id}/roles`, { role: 'org_manager', mode: 'add' })
    const row = await OrganisationRole.forOrganisation(organisation.id)
      .where('user_id', user.id)
      .firstOrFail()
    assert.deepEqual(row.assigned, ['org_manager'])
  })

  test('the login form needs the token', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation, { roles: ['org_manager'] })
    const browser = adminBrowser(client, host)
    await visit(browser, '/admin/login')
    const response = await submit(
      browser,
      '/admin/login',
      { email: user.email!, password: PASSWORD },
      { csrf: false }
    )
    assert.equal(redirectedTo(response), '/admin/login')
    assert.equal((await visit(browser, '/admin')).status(), 302)
  })
})
