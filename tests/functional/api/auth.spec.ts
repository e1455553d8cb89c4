import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import User from '#models/user'
import {
  asBearer,
  asBrowser,
  createToken,
  givenOrganisation,
  givenUser,
  loginBrowser,
  PASSWORD,
} from '#tests/helpers/world'

test.group('Auth | password login (api.md §3.2)', () => {
  test('logs in with email and password and returns the user with organisation roles', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation, { roles: ['meeting_creator'] })
    const response = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: user.email, password: PASSWORD })
    response.assertStatus(200)
    assert.equal(response.body().id, user.id)
    assert.deepEqual(response.body().organisation_roles, ['meeting_creator'])
    const cookies = ([] as string[]).concat(response.headers()['set-cookie']).join('\n')
    assert.match(cookies, /assembly-session=.*HttpOnly/i)
    assert.match(cookies, /XSRF-TOKEN=/)
  })

  test('refuses a wrong password with 422 and a generic message', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const response = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: user.email, password: 'nope' })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].code, 'auth.invalid_credentials')
  })

  test('a user cannot log in on another organisation host', async ({ client }) => {
    const a = await givenOrganisation()
    const b = await givenOrganisation()
    const user = await givenUser(a.organisation)
    const response = await client
      .post('/api/auth/login')
      .header('host', b.host)
      .json({ email: user.email, password: PASSWORD })
    response.assertStatus(422)
  })

  test('bad input names the field', async ({ client, assert }) => {
    const { host } = await givenOrganisation()
    const response = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: 'not-an-email' })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['email', 'password'])
  })

  test('GET /api/user answers 401 when anonymous', async ({ client, assert }) => {
    const { host } = await givenOrganisation()
    const response = await client.get('/api/user').header('host', host)
    response.assertStatus(401)
    assert.equal(response.body().errors[0].code, 'auth.unauthenticated')
  })

  test('an unknown host answers 404 JSON on the API', async ({ client, assert }) => {
    const response = await client.get('/api/organisation').header('host', 'unknown.invalid')
    response.assertStatus(404)
    assert.equal(response.body().errors[0].code, 'not_found')
  })

  test('a session of organisation A used on host B answers 401 wrong_organisation', async ({
    client,
    assert,
  }) => {
    const a = await givenOrganisation()
    const b = await givenOrganisation()
    const session = await loginBrowser(client, a.host, await givenUser(a.organisation))
    const response = await asBrowser(client.get('/api/user'), { ...session, host: b.host })
    response.assertStatus(401)
    assert.equal(response.body().errors[0].code, 'auth.wrong_organisation')
  })
})

test.group('Auth | CSRF (api.md §3.1)', () => {
  test('a cookie-authenticated write without X-XSRF-TOKEN is refused with 403', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(client, host, await givenUser(organisation))
    const response = await asBrowser(client.post('/api/auth/tokens'), session, {
      csrf: false,
    }).json({ name: 'x' })
    response.assertStatus(403)
    assert.equal(response.body().errors[0].code, 'auth.csrf_failed')
  })

  test('a wrong token is refused and the right one accepted', async ({ client }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(client, host, await givenUser(organisation))
    const wrong = await asBrowser(client.post('/api/auth/tokens'), {
      ...session,
      xsrf: 'forged',
    }).json({ name: 'x' })
    wrong.assertStatus(403)
    const right = await asBrowser(client.post('/api/auth/tokens'), session).json({ name: 'x' })
    right.assertStatus(201)
  })

  test('a bearer request needs no CSRF token and ignores the cookie', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const owner = await givenUser(organisation)
    const other = await givenUser(organisation)
    const ownerSession = await loginBrowser(client, host, owner)
    const otherToken = await createToken(client, await loginBrowser(client, host, other))
    // The cookie says "owner", the bearer token says "other": only the token counts.
    const response = await asBearer(client.get('/api/user'), host, otherToken).header(
      'cookie',
      ownerSession.cookie
    )
    response.assertStatus(200)
    assert.equal(response.body().id, other.id)
    const write = await asBearer(client.patch(`/api/user/${other.id}`), host, otherToken).json({
      first_name: 'Renamed',
    })
    write.assertStatus(200)
  })
})

test.group('Auth | bearer tokens (api.md §3.3)', () => {
  test('a bearer request starts no session: no cookie in the answer, security headers set', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const token = await createToken(client, await loginBrowser(client, host, user))
    const response = await asBearer(client.get('/api/user'), host, token)
    response.assertStatus(200)
    assert.isUndefined(response.header('set-cookie'))
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    assert.equal(response.header('x-frame-options'), 'DENY')
    // A browser login needs a session, which requests with an Authorization header never have.
    const login = await asBearer(client.post('/api/auth/login'), host, token).json({
      email: user.email,
      password: PASSWORD,
    })
    login.assertStatus(400)
    assert.equal(login.body().errors[0].code, 'bad_request')
  })

  test('creates, lists and revokes a token; a revoked token is refused', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const session = await loginBrowser(client, host, user)
    const token = await createToken(client, session)

    const list = await asBrowser(client.get('/api/auth/tokens'), session)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 1)
    assert.notProperty(list.body().data[0], 'token')

    ;(await asBearer(client.get('/api/user'), host, token)).assertStatus(200)
    ;(
      await asBrowser(client.delete(`/api/auth/tokens/${list.body().data[0].id}`), session)
    ).assertStatus(204)
    const refused = await asBearer(client.get('/api/user'), host, token)
    refused.assertStatus(401)
  })

  test('a read-only token may only GET', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const token = await createToken(client, await loginBrowser(client, host, user), ['read'])
    ;(await asBearer(client.get('/api/user'), host, token)).assertStatus(200)
    const write = await asBearer(client.patch(`/api/user/${user.id}`), host, token).json({
      first_name: 'X',
    })
    write.assertStatus(403)
    assert.equal((await User.findForAuthentication(user.id))!.firstName, 'Test')
  })

  test('a token cannot mint tokens', async ({ client }) => {
    const { organisation, host } = await givenOrganisation()
    const token = await createToken(
      client,
      await loginBrowser(client, host, await givenUser(organisation))
    )
    const response = await asBearer(client.post('/api/auth/tokens'), host, token).json({
      name: 'again',
    })
    response.assertStatus(403)
  })

  test('a token is valid only on its organisation hosts', async ({ client, assert }) => {
    const a = await givenOrganisation()
    const b = await givenOrganisation()
    const token = await createToken(
      client,
      await loginBrowser(client, a.host, await givenUser(a.organisation))
    )
    const response = await asBearer(client.get('/api/user'), b.host, token)
    response.assertStatus(401)
    assert.equal(response.body().errors[0].code, 'auth.wrong_organisation')
  })

  test('an expired token is refused', async ({ client }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const token = await createToken(client, await loginBrowser(client, host, user))
    const db = (await import('@adonisjs/lucid/services/db')).default
    await db
      .from('auth_access_tokens')
      .where('tokenable_id', user.id)
      .update({ expires_at: new Date(Date.now() - 1000) })
    ;(await asBearer(client.get('/api/user'), host, token)).assertStatus(401)
  })

  test('rejects invalid token input with field errors', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const session = await loginBrowser(client, host, await givenUser(organisation))
    const response = await asBrowser(client.post('/api/auth/tokens'), session).json({
      name: '',
      abilities: ['admin'],
      expires_in_days: 400,
    })
    response.assertStatus(422)
    const fields = response.body().errors.map((error: { field: string }) => error.field)
    assert.includeMembers(fields, ['name', 'abilities.0', 'expires_in_days'])
  })
})

test.group('Auth | logout (api.md §3.1)', () => {
  test('logout ends the current browser login only', async ({ client }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const first = await loginBrowser(client, host, user)
    const second = await loginBrowser(client, host, user)
    ;(await asBrowser(client.post('/api/user/logout'), first).json({})).assertStatus(204)
    ;(await asBrowser(client.get('/api/user'), first)).assertStatus(401)
    ;(await asBrowser(client.get('/api/user'), second)).assertStatus(200)
  })

  test('logout everywhere ends every browser login and revokes every token', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const first = await loginBrowser(client, host, user)
    const second = await loginBrowser(client, host, user)
    const token = await createToken(client, second)
    ;(
      await asBrowser(client.post('/api/user/logout'), first).json({ everywhere: true })
    ).assertStatus(204)
    ;(await asBrowser(client.get('/api/user'), second)).assertStatus(401)
    ;(await asBearer(client.get('/api/user'), host, token)).assertStatus(401)
    const revoked = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'access_token.revoked'
    )
    assert.lengthOf(revoked, 1)
  })
})

test.group('Auth | rate limiting (api.md §3.2)', () => {
  test('repeated failures lock the account with 429 and Retry-After', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    for (let attempt = 0; attempt < 5; attempt++) {
      ;(
        await client
          .post('/api/auth/login')
          .header('host', host)
          .json({ email: user.email, password: 'wrong' })
      ).assertStatus(422)
    }
    const locked = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: user.email, password: PASSWORD })
    locked.assertStatus(429)
    assert.equal(locked.body().errors[0].code, 'throttled')
    assert.exists(locked.headers()['retry-after'])
  })

  test('too many attempts from one address are throttled per IP', async ({ client }) => {
    const { host } = await givenOrganisation()
    let last = 0
    for (let attempt = 0; attempt < 21; attempt++) {
      const response = await client
        .post('/api/auth/login')
        .header('host', host)
        .header('x-forwarded-for', '203.0.113.77')
        .json({ email: `nobody${attempt}@example.org`, password: 'x' })
      last = response.status()
    }
    // trustProxy is off: every test request comes from 127.0.0.1, so the IP limit is shared;
    // the 21st attempt within a minute from one address must be refused.
    if (last !== 429) throw new Error(`expected 429 after 21 attempts, got ${last}`)
  })
})
