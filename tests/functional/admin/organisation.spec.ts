import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import Organisation from '#models/organisation'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

test.group('Admin | organisation settings', () => {
  test('shows the current settings and the host names', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Settings Org')
    const browser = await loginAdmin(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    const response = await visit(browser, '/admin/organisation')
    response.assertStatus(200)
    const html = response.text()
    assert.include(html, 'value="Settings Org"')
    assert.include(html, `<code>${host}</code>`)
    // givenOrganisation enables password login; create_users_on_login defaults to on.
    assert.match(html, /name="password_login" value="1" checked/)
    assert.match(html, /name="create_users_on_login" value="1" checked/)
  })

  test('a change persists, rich text is sanitised and one audit entry names the admin as actor', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Old title')
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const browser = await loginAdmin(client, host, manager)
    await visit(browser, '/admin/organisation')
    const response = await submit(browser, '/admin/organisation', {
      title: 'New title',
      page_title: 'Tab title',
      body: '<p>Hello <script>alert(1)</script><b>world</b></p>',
      help_info: 'Ask us',
      password_login: '1',
      // create_users_on_login unticked: not submitted, so it is switched off
    })
    assert.equal(redirectedTo(response), '/admin/organisation')

    const saved = await Organisation.findOrFail(organisation.id)
    assert.equal(saved.title, 'New title')
    assert.equal(saved.pageTitle, 'Tab title')
    assert.notInclude(saved.body, '<script')
    assert.include(saved.body, '<b>world</b>')
    assert.deepEqual(saved.effectiveSettings, {
      password_login: true,
      create_users_on_login: false,
    })

    const entries = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'organisation.updated'
    )
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].actorUserId, manager.id)
    assert.equal(entries[0].source, 'admin')
    assert.deepEqual(entries[0].changes.title, ['Old title', 'New title'])
    assert.deepEqual(entries[0].changes.settings, [
      { password_login: true, create_users_on_login: true },
      { password_login: true, create_users_on_login: false },
    ])

    const page = await visit(browser, '/admin/organisation')
    assert.include(page.text(), 'Organisation settings saved')
    assert.include(page.text(), 'value="New title"')
    assert.match(page.text(), /name="create_users_on_login" value="1" >/)
  })

  test('saving unchanged settings writes no audit entry', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Same')
    const browser = await loginAdmin(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    await visit(browser, '/admin/organisation')
    const fields = {
      title: 'Same',
      page_title: '',
      body: '',
      help_info: '',
      password_login: '1',
      create_users_on_login: '1',
    }
    await submit(browser, '/admin/organisation', fields)
    const count = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'organisation.updated')
      .count('* as n')
    assert.equal(Number(count[0].$extras.n), 0)
  })

  test('an empty title is refused with a message next to the field and nothing changes', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Keep me')
    const browser = await loginAdmin(
      client,
      host,
      await givenUser(organisation, { roles: ['org_manager'] })
    )
    await visit(browser, '/admin/organisation')
    const response = await submit(browser, '/admin/organisation', {
      title: '',
      page_title: 'Changed',
    })
    assert.equal(redirectedTo(response), '/admin/organisation')
    const page = await visit(browser, '/admin/organisation')
    assert.match(page.text(), /class="field has-error">\s*<label for="field-title">/)
    assert.include(page.text(), 'Please correct the highlighted fields.')
    // The other input is kept from the failed submission.
    assert.include(page.text(), 'value="Changed"')
    assert.equal((await Organisation.findOrFail(organisation.id)).title, 'Keep me')
  })
})
