import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import User from '#models/user'
import CreateUser from '#actions/users/create_user'
import { systemActor } from '#services/audit_log'
import {
  asBrowser,
  givenOrganisation,
  givenUser,
  loginBrowser,
  PASSWORD,
} from '#tests/helpers/world'
import { adminBrowser, redirectedTo, submit, visit } from '#tests/helpers/admin'

async function userWithOneTimePassword() {
  const { organisation, host } = await givenOrganisation()
  const { user, oneTimePassword } = await new CreateUser().execute({
    organisation,
    email: `otp-${Date.now()}@example.org`,
    actor: systemActor('cli'),
  })
  return { organisation, host, user, oneTimePassword: oneTimePassword! }
}

test.group('Password | one-time passwords must be changed first (api.md §11.6)', () => {
  test('the API refuses everything but reading oneself, changing the password and logging out', async ({
    client,
    assert,
  }) => {
    const { host, user, oneTimePassword } = await userWithOneTimePassword()
    const login = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: user.email, password: oneTimePassword })
    login.assertStatus(200)
    assert.isTrue(login.body().must_change_password)
    const cookie = ([] as string[]).concat(login.headers()['set-cookie'])
    const session = {
      host,
      cookie: cookie.map((line) => line.split(';')[0]).join('; '),
      xsrf: /XSRF-TOKEN=([^;]+)/.exec(cookie.join(';'))![1],
    }
    ;(await asBrowser(client.get('/api/user'), session)).assertStatus(200)
    const blocked = await asBrowser(client.post('/api/auth/tokens'), session).json({ name: 'x' })
    blocked.assertStatus(403)
    assert.equal(blocked.body().errors[0].code, 'auth.password_change_required')

    const wrong = await asBrowser(client.post('/api/user/password'), session).json({
      current_password: 'nope',
      new_password: 'a-new-password',
    })
    wrong.assertStatus(422)
    assert.equal(wrong.body().errors[0].field, 'current_password')
    const short = await asBrowser(client.post('/api/user/password'), session).json({
      current_password: oneTimePassword,
      new_password: 'short',
    })
    short.assertStatus(422)
    assert.equal(short.body().errors[0].field, 'new_password')

    const changed = await asBrowser(client.post('/api/user/password'), session).json({
      current_password: oneTimePassword,
      new_password: 'a-new-password',
    })
    changed.assertStatus(200)
    assert.isFalse(changed.body().must_change_password)
    ;(await asBrowser(client.post('/api/auth/tokens'), session).json({ name: 'x' })).assertStatus(
      201
    )

    const relogin = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: user.email, password: 'a-new-password' })
    relogin.assertStatus(200)
    const entry = await AuditEntry.forOrganisation(user.organisationId)
      .where('event', 'user.password_changed')
      .firstOrFail()
    assert.deepEqual(entry.changes, { password: ['*', '*'] })
    assert.notInclude(JSON.stringify(entry.changes), 'a-new-password')
  })

  test('a normal user changes their password; the stored hash changes, the old password stops working', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const before = (await User.findForAuthentication(user.id))!.password
    const session = await loginBrowser(client, host, user)
    ;(
      await asBrowser(client.post('/api/user/password'), session).json({
        current_password: PASSWORD,
        new_password: 'another secret',
      })
    ).assertStatus(200)
    assert.notEqual((await User.findForAuthentication(user.id))!.password, before)
    ;(
      await client
        .post('/api/auth/login')
        .header('host', host)
        .json({ email: user.email, password: PASSWORD })
    ).assertStatus(422)
  })

  test('the admin sends a user with a one-time password to the password page first', async ({
    client,
    assert,
  }) => {
    const { host, user, oneTimePassword } = await userWithOneTimePassword()
    const browser = adminBrowser(client, host)
    await visit(browser, '/admin/login')
    const login = await submit(browser, '/admin/login', {
      email: user.email!,
      password: oneTimePassword,
    })
    assert.equal(redirectedTo(login), '/admin')
    const dashboard = await visit(browser, '/admin')
    assert.equal(redirectedTo(dashboard), '/admin/password')
    const page = await visit(browser, '/admin/password')
    page.assertStatus(200)
    assert.include(page.text(), 'one-time password')
    const done = await submit(browser, '/admin/password', {
      current_password: oneTimePassword,
      new_password: 'my own password',
    })
    assert.equal(redirectedTo(done), '/admin')
    ;(await visit(browser, '/admin')).assertStatus(200)
  })
})
