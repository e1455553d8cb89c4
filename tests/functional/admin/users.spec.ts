import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import AuditEntry from '#models/audit_entry'
import OrganisationRole from '#models/organisation_role'
import User from '#models/user'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { adminBrowser, loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

async function managerBrowser(client: Parameters<typeof loginAdmin>[0], title = 'Users Org') {
  const { organisation, host } = await givenOrganisation(title)
  const manager = await givenUser(organisation, { roles: ['org_manager'], firstName: 'Manager' })
  const browser = await loginAdmin(client, host, manager)
  return { organisation, host, manager, browser }
}

async function rolesOf(organisationId: number, userId: number) {
  const row = await OrganisationRole.forOrganisation(organisationId)
    .where('user_id', userId)
    .first()
  return row?.assigned ?? []
}

test.group('Admin | users list', () => {
  test('searches by user id, name and email', async ({ client, assert }) => {
    const { organisation, browser } = await managerBrowser(client)
    await givenUser(organisation, { firstName: 'Zelda', email: 'zelda@example.org' })
    await givenUser(organisation, { firstName: 'Quentin', email: 'q@elsewhere.example' })

    const byName = await visit(browser, '/admin/users?search=zel')
    byName.assertStatus(200)
    assert.include(byName.text(), 'zelda@example.org')
    assert.notInclude(byName.text(), 'q@elsewhere.example')

    const byEmail = (await visit(browser, '/admin/users?search=ELSEWHERE')).text()
    assert.include(byEmail, 'q@elsewhere.example')
    assert.notInclude(byEmail, 'zelda@example.org')

    const quentin = await User.forOrganisation(organisation.id)
      .where('email', 'q@elsewhere.example')
      .firstOrFail()
    const byUserid = (await visit(browser, `/admin/users?search=${quentin.userid}`)).text()
    assert.include(byUserid, 'q@elsewhere.example')

    const none = (await visit(browser, '/admin/users?search=nobody-here')).text()
    assert.include(none, 'No users match this search.')
  })

  test('pages through the users and keeps the search in the page links', async ({
    client,
    assert,
  }) => {
    const { organisation, browser } = await managerBrowser(client)
    for (let i = 0; i < 27; i++)
      await givenUser(organisation, { firstName: `Pager${String(i).padStart(2, '0')}` })

    const first = (await visit(browser, '/admin/users?search=pager')).text()
    assert.include(first, '1–25 of 27')
    assert.include(first, 'Pager00')
    assert.notInclude(first, 'Pager26')
    assert.include(first, 'href="/admin/users?search=pager&amp;page=2"')

    const second = (await visit(browser, '/admin/users?search=pager&page=2')).text()
    assert.include(second, '26–27 of 27')
    assert.include(second, 'Pager26')
    assert.notInclude(second, 'Pager00')
  })
})

test.group('Admin | create user', () => {
  test('creates a user with a password and writes an audit entry', async ({ client, assert }) => {
    const { organisation, manager, browser } = await managerBrowser(client)
    const form = await visit(browser, '/admin/users/new')
    form.assertStatus(200)
    const response = await submit(browser, '/admin/users', {
      email: 'New.Person@Example.org',
      first_name: 'New',
      last_name: 'Person',
      userid: '',
      password: 'a good long password',
    })
    const user = await User.forOrganisation(organisation.id)
      .where('email', 'new.person@example.org')
      .firstOrFail()
    assert.equal(redirectedTo(response), `/admin/users/${user.id}`)
    assert.equal(user.userid, 'new-person')
    assert.isFalse(user.mustChangePassword)
    assert.isTrue(await hash.verify(user.password!, 'a good long password'))

    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'user.created')
      .where('object_id', String(user.id))
      .firstOrFail()
    assert.equal(entry.actorUserId, manager.id)
    assert.equal(entry.source, 'admin')

    const page = await visit(browser, `/admin/users/${user.id}`)
    assert.include(page.text(), 'User new.person@example.org created')
    assert.notInclude(page.text(), 'One-time password')
  })

  test('without a password a one-time password is shown once and must be changed', async ({
    client,
    assert,
  }) => {
    const { organisation, browser } = await managerBrowser(client)
    await visit(browser, '/admin/users/new')
    const response = await submit(browser, '/admin/users', {
      email: 'otp@example.org',
      first_name: 'Otp',
    })
    const user = await User.forOrganisation(organisation.id)
      .where('email', 'otp@example.org')
      .firstOrFail()
    assert.equal(redirectedTo(response), `/admin/users/${user.id}`)
    assert.isTrue(user.mustChangePassword)

    const first = (await visit(browser, `/admin/users/${user.id}`)).text()
    const shown = /<code class="secret">([^<]+)<\/code>/.exec(first)?.[1]
    assert.isString(shown)
    assert.isTrue(await hash.verify(user.password!, shown!))

    const again = (await visit(browser, `/admin/users/${user.id}`)).text()
    assert.notInclude(again, shown!)
  })

  test('a duplicate email is refused with a message and no second user', async ({
    client,
    assert,
  }) => {
    const { organisation, browser } = await managerBrowser(client)
    await givenUser(organisation, { email: 'taken@example.org' })
    await visit(browser, '/admin/users/new')
    const response = await submit(browser, '/admin/users', { email: 'taken@example.org' })
    assert.equal(redirectedTo(response), '/admin/users/new')
    const page = await visit(browser, '/admin/users/new')
    assert.include(page.text(), 'A user with this email already exists in this organisation')
    const count = await User.forOrganisation(organisation.id)
      .where('email', 'taken@example.org')
      .count('* as n')
    assert.equal(Number(count[0].$extras.n), 1)
  })

  test('invalid input shows the errors next to the fields', async ({ client, assert }) => {
    const { organisation, browser } = await managerBrowser(client)
    await visit(browser, '/admin/users/new')
    await submit(browser, '/admin/users', {
      email: 'not-an-email',
      userid: 'Bad Id!',
      password: 'short',
    })
    const html = (await visit(browser, '/admin/users/new')).text()
    for (const field of ['email', 'userid', 'password']) {
      assert.match(
        html,
        new RegExp(`class="field has-error">\\s*<label for="field-${field}">`),
        field
      )
    }
    // The password is never echoed back into the form.
    assert.notInclude(html, 'value="short"')
    const count = await User.forOrganisation(organisation.id).count('* as n')
    assert.equal(Number(count[0].$extras.n), 1)
  })
})

test.group('Admin | roles and activation', () => {
  test('adds and removes organisation roles, each change audited', async ({ client, assert }) => {
    const { organisation, manager, browser } = await managerBrowser(client)
    const user = await givenUser(organisation)
    await visit(browser, `/admin/users/${user.id}`)

    let response = await submit(browser, `/admin/users/${user.id}/roles`, {
      role: 'meeting_creator',
      mode: 'add',
    })
    assert.equal(redirectedTo(response), `/admin/users/${user.id}`)
    assert.deepEqual(await rolesOf(organisation.id, user.id), ['meeting_creator'])

    await submit(browser, `/admin/users/${user.id}/roles`, { role: 'org_manager', mode: 'add' })
    assert.sameMembers(await rolesOf(organisation.id, user.id), ['org_manager', 'meeting_creator'])

    const page = (await visit(browser, `/admin/users/${user.id}`)).text()
    assert.include(page, 'Organisation manager role added')

    response = await submit(browser, `/admin/users/${user.id}/roles`, {
      role: 'meeting_creator',
      mode: 'remove',
    })
    assert.deepEqual(await rolesOf(organisation.id, user.id), ['org_manager'])

    const entries = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'organisation_roles.changed')
      .where('actor_user_id', manager.id)
      .orderBy('id')
    assert.lengthOf(entries, 3)
    assert.deepEqual(
      entries.map((entry) => entry.changes.assigned[1]),
      [['meeting_creator'], ['org_manager', 'meeting_creator'], ['org_manager']]
    )
    assert.isTrue(entries.every((entry) => entry.source === 'admin'))
  })

  test('an unknown role is refused without a change', async ({ client, assert }) => {
    const { organisation, browser } = await managerBrowser(client)
    const user = await givenUser(organisation)
    await visit(browser, `/admin/users/${user.id}`)
    await submit(browser, `/admin/users/${user.id}/roles`, { role: 'superuser', mode: 'add' })
    assert.deepEqual(await rolesOf(organisation.id, user.id), [])
  })

  test('deactivates and reactivates a user; the inactive user cannot log in', async ({
    client,
    assert,
  }) => {
    const { organisation, host, manager, browser } = await managerBrowser(client)
    const user = await givenUser(organisation)
    await visit(browser, `/admin/users/${user.id}`)
    await submit(browser, `/admin/users/${user.id}/active`, { active: '0' })
    assert.isFalse((await User.findInOrganisation(organisation.id, user.id))!.isActive)
    assert.include((await visit(browser, `/admin/users/${user.id}`)).text(), 'User deactivated')

    const refused = adminBrowser(client, host)
    await visit(refused, '/admin/login')
    const login = await submit(refused, '/admin/login', {
      email: user.email!,
      password: 'correct horse battery staple',
    })
    assert.equal(redirectedTo(login), '/admin/login')

    await submit(browser, `/admin/users/${user.id}/active`, { active: '1' })
    assert.isTrue((await User.findInOrganisation(organisation.id, user.id))!.isActive)

    const entries = await AuditEntry.forOrganisation(organisation.id)
      .where('model', 'User')
      .where('object_id', String(user.id))
      .whereIn('event', ['user.deactivated', 'user.activated'])
      .orderBy('id')
    assert.deepEqual(
      entries.map((entry) => entry.event),
      ['user.deactivated', 'user.activated']
    )
    assert.deepEqual(entries[0].changes, { is_active: [true, false] })
    assert.equal(entries[0].actorUserId, manager.id)
  })

  test('a manager cannot deactivate themselves', async ({ client, assert }) => {
    const { organisation, manager, browser } = await managerBrowser(client)
    const page = await visit(browser, `/admin/users/${manager.id}`)
    assert.include(page.text(), 'You cannot deactivate your own account.')
    await submit(browser, `/admin/users/${manager.id}/active`, { active: '0' })
    assert.isTrue((await User.findInOrganisation(organisation.id, manager.id))!.isActive)
    assert.include(
      (await visit(browser, `/admin/users/${manager.id}`)).text(),
      'You cannot deactivate your own account'
    )
    const count = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'user.deactivated')
      .count('* as n')
    assert.equal(Number(count[0].$extras.n), 0)
  })
})

test.group('Admin | edit user and reset password', () => {
  test('edits the details of a user with an audit entry', async ({ client, assert }) => {
    const { organisation, manager, browser } = await managerBrowser(client)
    const user = await givenUser(organisation, { email: 'before@example.org', firstName: 'Before' })
    const form = await visit(browser, `/admin/users/${user.id}/edit`)
    form.assertStatus(200)
    assert.include(form.text(), 'value="before@example.org"')
    const response = await submit(browser, `/admin/users/${user.id}`, {
      email: 'After@Example.org',
      first_name: 'After',
      last_name: '',
      userid: 'after-user',
    })
    assert.equal(redirectedTo(response), `/admin/users/${user.id}`)
    const saved = (await User.findInOrganisation(organisation.id, user.id))!
    assert.equal(saved.email, 'after@example.org')
    assert.equal(saved.fullName, 'After')
    assert.equal(saved.userid, 'after-user')
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'user.updated')
      .where('object_id', String(user.id))
      .firstOrFail()
    assert.equal(entry.actorUserId, manager.id)
    assert.deepEqual(entry.changes.email, ['before@example.org', 'after@example.org'])
    assert.deepEqual(entry.changes.last_name, ['User', ''])
  })

  test('an email taken by another user is refused', async ({ client, assert }) => {
    const { organisation, browser } = await managerBrowser(client)
    await givenUser(organisation, { email: 'taken@example.org' })
    const user = await givenUser(organisation, { email: 'mine@example.org' })
    await visit(browser, `/admin/users/${user.id}/edit`)
    await submit(browser, `/admin/users/${user.id}`, { email: 'taken@example.org' })
    assert.equal(
      (await User.findInOrganisation(organisation.id, user.id))!.email,
      'mine@example.org'
    )
    assert.include(
      (await visit(browser, `/admin/users/${user.id}/edit`)).text(),
      'This email is already taken'
    )
  })

  test('a password reset shows a new one-time password once; the old password stops working', async ({
    client,
    assert,
  }) => {
    const { organisation, manager, browser } = await managerBrowser(client)
    const user = await givenUser(organisation)
    await visit(browser, `/admin/users/${user.id}`)
    const response = await submit(browser, `/admin/users/${user.id}/password`, {})
    assert.equal(redirectedTo(response), `/admin/users/${user.id}`)

    const page = (await visit(browser, `/admin/users/${user.id}`)).text()
    const shown = /<code class="secret">([^<]+)<\/code>/.exec(page)?.[1]
    assert.isString(shown)
    const saved = (await User.findInOrganisation(organisation.id, user.id))!
    assert.isTrue(saved.mustChangePassword)
    assert.isTrue(await hash.verify(saved.password!, shown!))
    assert.isFalse(await hash.verify(saved.password!, 'correct horse battery staple'))
    assert.notInclude((await visit(browser, `/admin/users/${user.id}`)).text(), shown!)

    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'user.password_reset')
      .firstOrFail()
    assert.equal(entry.actorUserId, manager.id)
    assert.deepEqual(entry.changes, { must_change_password: [false, true] })
    assert.notInclude(JSON.stringify(entry.changes), shown!)
  })

  test('a plain member can neither edit users nor reset passwords', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const member = await givenUser(organisation)
    const other = await givenUser(organisation, { email: 'other@example.org' })
    const browser = await loginAdmin(client, host, member)
    assert.equal((await visit(browser, `/admin/users/${other.id}/edit`)).status(), 403)
    await visit(browser, '/admin')
    await submit(browser, `/admin/users/${other.id}`, { email: 'stolen@example.org' })
    await submit(browser, `/admin/users/${other.id}/password`, {})
    const saved = (await User.findInOrganisation(organisation.id, other.id))!
    assert.equal(saved.email, 'other@example.org')
    assert.isFalse(saved.mustChangePassword)
    assert.isTrue(await hash.verify(saved.password!, 'correct horse battery staple'))
  })
})
