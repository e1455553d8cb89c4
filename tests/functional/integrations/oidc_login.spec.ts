import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import AuditEntry from '#models/audit_entry'
import Organisation from '#models/organisation'
import User from '#models/user'
import UserConnection from '#models/user_connection'
import SaveLoginProvider from '#actions/integrations/save_login_provider'
import { systemActor } from '#services/audit_log'
import { cookieHeaderFrom, givenOrganisation, givenUser } from '#tests/helpers/world'
import {
  signInAtProvider,
  startOidcProvider,
  type TestOidcProvider,
} from '#tests/helpers/oidc_provider'

/**
 * Provider login end to end (domain §6.4, api.md §3.2) against a real
 * oidc-provider on a loopback port: the app redirects, the "browser" signs in
 * at the provider, the provider redirects back with a code, the app verifies
 * everything and establishes the browser login.
 */
async function givenOidcOrganisation(
  options: { createUsers?: boolean; superuserClaim?: string } = {}
) {
  const { organisation, host } = await givenOrganisation('SSO org')
  const idp = await startOidcProvider({ redirectUris: [`http://${host}/auth/idp/callback`] })
  await new SaveLoginProvider().execute({
    organisation,
    settings: {
      provider_id: 'idp',
      title: 'Test IdP',
      oidc_endpoint: idp.issuer,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      primary: true,
      superuser_claim: options.superuserClaim,
    },
    actor: systemActor('cli'),
  })
  if (options.createUsers === false) {
    organisation.settings = { ...organisation.settings, create_users_on_login: false }
    await organisation.save()
  }
  return { organisation, host, idp }
}

interface FlowResult {
  cookie: string
  location: string
}

/** redirect → provider sign-in → callback; returns the app's final redirect and cookies. */
async function loginThroughProvider(
  client: ApiClient,
  host: string,
  accountId: string,
  options: { next?: string; cookie?: string; connect?: boolean; tamperState?: boolean } = {}
): Promise<FlowResult> {
  const query = new URLSearchParams()
  if (options.next) query.set('next', options.next)
  if (options.connect) query.set('connect', '1')
  const start = await client
    .get(`/auth/idp/redirect?${query}`)
    .header('host', host)
    .header('cookie', options.cookie ?? '')
    .redirects(0)
  start.assertStatus(302)
  let cookie = cookieHeaderFrom(start, options.cookie ?? '')

  const back = await signInAtProvider(start.header('location')!, accountId)
  if (options.tamperState) back.searchParams.set('state', 'forged-state')
  const callback = await client
    .get(`${back.pathname}${back.search}`)
    .header('host', back.host)
    .header('cookie', cookie)
    .redirects(0)
  callback.assertStatus(302)
  cookie = cookieHeaderFrom(callback, cookie)
  return { cookie, location: callback.header('location')! }
}

async function messages(client: ApiClient, host: string, cookie: string) {
  const response = await client
    .get('/api/user/messages')
    .header('host', host)
    .header('cookie', cookie)
  response.assertStatus(200)
  return response.body() as Array<{
    level: number
    level_tag: string
    message: string
    tags: string
  }>
}

const providers: TestOidcProvider[] = []

test.group('OIDC login | redirect and callback (api.md §3.2)', (group) => {
  group.each.teardown(async () => {
    await Promise.all(providers.splice(0).map((idp) => idp.close()))
  })

  test('the redirect carries client id, callback on the host, state, nonce and a PKCE challenge', async ({
    client,
    assert,
  }) => {
    const { host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    const response = await client
      .get('/auth/idp/redirect?next=/meetings/5')
      .header('host', host)
      .redirects(0)
    response.assertStatus(302)
    const url = new URL(response.header('location')!)
    assert.equal(url.origin, idp.issuer)
    assert.equal(url.searchParams.get('client_id'), idp.clientId)
    assert.equal(url.searchParams.get('redirect_uri'), `http://${host}/auth/idp/callback`)
    assert.equal(url.searchParams.get('response_type'), 'code')
    assert.include(url.searchParams.get('scope')!.split(' '), 'openid')
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256')
    for (const param of ['state', 'nonce', 'code_challenge'])
      assert.isAtLeast(url.searchParams.get(param)!.length, 20)
    // Neither the state nor the verifier travels in clear text in the cookies.
    const cookies = String(response.headers()['set-cookie'])
    assert.notInclude(cookies, url.searchParams.get('state')!)
  })

  test('first login creates the user, logs in and redirects to next; login_url names the provider', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    idp.accounts.set('alice', {
      email: 'Alice@Example.org',
      email_verified: true,
      given_name: 'Alice',
      family_name: 'Liddell',
      name: 'Alice Liddell',
    })
    const org = await client.get('/api/organisation').header('host', host)
    assert.equal(org.body().login_url, '/auth/idp/redirect')
    assert.deepEqual(org.body().login_providers, [
      { id: 'idp', title: 'Test IdP', primary: true, login_url: '/auth/idp/redirect' },
    ])

    const { cookie, location } = await loginThroughProvider(client, host, 'alice', {
      next: '/meetings/5',
    })
    assert.equal(location, '/meetings/5')
    const me = await client.get('/api/user').header('host', host).header('cookie', cookie)
    me.assertStatus(200)
    assert.equal(me.body().email, 'alice@example.org')
    assert.equal(me.body().userid, 'alice-liddell')
    assert.equal(me.body().first_name, 'Alice')

    const user = await User.findInOrganisation(organisation.id, me.body().id)
    assert.isNull(user!.password)
    const connection = await UserConnection.forOrganisation(organisation.id)
      .where('user_id', user!.id)
      .firstOrFail()
    assert.equal(connection.uid, 'alice')
    const created = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'user.created')
      .where('object_id', String(user!.id))
      .firstOrFail()
    assert.equal(created.actorUserId, user!.id)
  })

  test('a name that is taken gets -2; the same subject logs in to the same account again', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    idp.accounts.set('a1', {
      email: 'one@example.org',
      email_verified: true,
      given_name: 'Kim',
      family_name: 'Lee',
    })
    idp.accounts.set('a2', {
      email: 'two@example.org',
      email_verified: true,
      given_name: 'Kim',
      family_name: 'Lee',
    })
    await loginThroughProvider(client, host, 'a1')
    const second = await loginThroughProvider(client, host, 'a2')
    const me = await client.get('/api/user').header('host', host).header('cookie', second.cookie)
    assert.equal(me.body().userid, 'kim-lee-2')

    const again = await loginThroughProvider(client, host, 'a2')
    const meAgain = await client
      .get('/api/user')
      .header('host', host)
      .header('cookie', again.cookie)
    assert.equal(meAgain.body().id, me.body().id)
    assert.equal(
      await User.forOrganisation(organisation.id)
        .count('* as total')
        .first()
        .then((r: any) => Number(r.$extras.total)),
      2
    )
  })

  test('an existing account is linked by verified email, not by an unverified one', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    const bob = await givenUser(organisation, { email: 'bob@example.org' })
    const carol = await givenUser(organisation, { email: 'carol@example.org' })
    idp.accounts.set('bob', { email: 'BOB@example.org', email_verified: true, name: 'Bob' })
    idp.accounts.set('mallory', {
      email: 'carol@example.org',
      email_verified: false,
      name: 'Mallory',
    })

    const linked = await loginThroughProvider(client, host, 'bob')
    const me = await client.get('/api/user').header('host', host).header('cookie', linked.cookie)
    assert.equal(me.body().id, bob.id)
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'user_connection.created')
      .where('actor_user_id', bob.id)
    assert.lengthOf(audit, 1)

    const unverified = await loginThroughProvider(client, host, 'mallory')
    const other = await client
      .get('/api/user')
      .header('host', host)
      .header('cookie', unverified.cookie)
    assert.notEqual(other.body().id, carol.id)
    // The unverified address is not stored on the new account either.
    assert.isNull(other.body().email)
  })

  test('without create_users_on_login an unknown person is refused with a login message', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation({ createUsers: false })
    providers.push(idp)
    idp.accounts.set('eve', { email: 'eve@example.org', email_verified: true, name: 'Eve' })
    const { cookie, location } = await loginThroughProvider(client, host, 'eve')
    assert.equal(location, '/error')
    const first = await messages(client, host, cookie)
    assert.lengthOf(first, 1)
    assert.equal(first[0].level_tag, 'error')
    assert.equal(first[0].level, 40)
    assert.match(first[0].message, /no account/i)
    assert.deepEqual(await messages(client, host, cookie), [])
    ;(await client.get('/api/user').header('host', host).header('cookie', cookie)).assertStatus(401)
    assert.isNull(
      await User.forOrganisation(organisation.id).where('email', 'eve@example.org').first()
    )
  })

  test('a callback whose state does not match is refused and logs nobody in', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    idp.accounts.set('frank', { email: 'frank@example.org', email_verified: true, name: 'Frank' })
    const { cookie, location } = await loginThroughProvider(client, host, 'frank', {
      tamperState: true,
    })
    assert.equal(location, '/error')
    assert.match((await messages(client, host, cookie))[0].message, /did not come from this site/)
    ;(await client.get('/api/user').header('host', host).header('cookie', cookie)).assertStatus(401)
    assert.isNull(
      await User.forOrganisation(organisation.id).where('email', 'frank@example.org').first()
    )
  })

  test('a callback without the browser cookies of the redirect (replayed code) is refused', async ({
    client,
    assert,
  }) => {
    const { host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    idp.accounts.set('gina', { email: 'gina@example.org', email_verified: true, name: 'Gina' })
    const start = await client.get('/auth/idp/redirect').header('host', host).redirects(0)
    const back = await signInAtProvider(start.header('location')!, 'gina')
    const callback = await client
      .get(`${back.pathname}${back.search}`)
      .header('host', host)
      .redirects(0)
    callback.assertStatus(302)
    assert.equal(callback.header('location'), '/error')
  })

  test('a callback without the nonce of its redirect is refused (id_token nonce check)', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    idp.accounts.set('nina', { email: 'nina@example.org', email_verified: true, name: 'Nina' })
    const start = await client.get('/auth/idp/redirect').header('host', host).redirects(0)
    const cookie = cookieHeaderFrom(start)
      .split('; ')
      .filter((pair) => !/_nonce=/.test(pair))
      .join('; ')
    assert.notEqual(cookie, cookieHeaderFrom(start))
    const back = await signInAtProvider(start.header('location')!, 'nina')
    const callback = await client
      .get(`${back.pathname}${back.search}`)
      .header('host', host)
      .header('cookie', cookie)
      .redirects(0)
    assert.equal(callback.header('location'), '/error')
    const after = cookieHeaderFrom(callback, cookie)
    assert.match((await messages(client, host, after))[0].message, /could not be verified/)
    assert.isNull(
      await User.forOrganisation(organisation.id).where('email', 'nina@example.org').first()
    )
  })

  test('an unknown provider is a 404; next never leaves the site', async ({ client, assert }) => {
    const { host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    ;(await client.get('/auth/nope/redirect').header('host', host).redirects(0)).assertStatus(404)
    idp.accounts.set('hank', { email: 'hank@example.org', email_verified: true, name: 'Hank' })
    const { location } = await loginThroughProvider(client, host, 'hank', {
      next: '//evil.example/steal',
    })
    assert.equal(location, '/')
  })

  test('a hidden provider is not offered but works by its URL', async ({ client, assert }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    await new SaveLoginProvider().execute({
      organisation,
      settings: {
        provider_id: 'backup',
        oidc_endpoint: idp.issuer,
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        hidden: true,
      },
      actor: systemActor('cli'),
    })
    const org = await client.get('/api/organisation').header('host', host)
    assert.deepEqual(
      org.body().login_providers.map((provider: { id: string }) => provider.id),
      ['idp']
    )
    const redirect = await client.get('/auth/backup/redirect').header('host', host).redirects(0)
    redirect.assertStatus(302)
    assert.isTrue(redirect.header('location')!.startsWith(idp.issuer))
  })

  test('the provider of another organisation is not reachable on this host', async ({ client }) => {
    const { idp } = await givenOidcOrganisation()
    providers.push(idp)
    const other = await givenOrganisation()
    ;(await client.get('/auth/idp/redirect').header('host', other.host).redirects(0)).assertStatus(
      404
    )
  })
})

test.group('OIDC login | which account is yours? and connections (domain §6.4)', (group) => {
  group.each.teardown(async () => {
    await Promise.all(providers.splice(0).map((idp) => idp.close()))
  })

  test('two accounts matching the verified email pause the login until the person chooses', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    // Two historic accounts whose emails differ only in case both match.
    const first = await User.create({
      organisationId: organisation.id,
      email: 'Dana@example.org',
      userid: 'dana',
      firstName: 'Dana',
      lastName: 'A',
      isActive: true,
      isSuperuser: false,
      mustChangePassword: false,
      rev: 1,
    })
    const second = await User.create({
      organisationId: organisation.id,
      email: 'dana@example.org',
      userid: 'dana-2',
      firstName: 'Dana',
      lastName: 'B',
      isActive: true,
      isSuperuser: false,
      mustChangePassword: false,
      rev: 1,
    })
    idp.accounts.set('dana', { email: 'dana@example.org', email_verified: true, name: 'Dana' })
    const { cookie, location } = await loginThroughProvider(client, host, 'dana', { next: '/m/1' })
    assert.equal(location, '/account-link?next=%2Fm%2F1')
    ;(await client.get('/api/user').header('host', host).header('cookie', cookie)).assertStatus(401)

    const options = await client
      .get('/api/account-link-options')
      .header('host', host)
      .header('cookie', cookie)
    options.assertStatus(200)
    assert.sameMembers(
      options.body().data.map((user: { id: number }) => user.id),
      [first.id, second.id]
    )
    assert.equal(options.body().next, '/m/1')

    const stranger = await givenUser(organisation)
    const wrong = await client
      .post('/api/account-link-options/choose')
      .header('host', host)
      .header('cookie', cookie)
      .json({ user: stranger.id })
    wrong.assertStatus(422)
    assert.equal(wrong.body().errors[0].field, 'user')

    const choose = await client
      .post('/api/account-link-options/choose')
      .header('host', host)
      .header('cookie', cookie)
      .json({ user: second.id })
    choose.assertStatus(200)
    assert.equal(choose.body().user.id, second.id)
    assert.equal(choose.body().next, '/m/1')
    const loggedIn = cookieHeaderFrom(choose, cookie)
    const me = await client.get('/api/user').header('host', host).header('cookie', loggedIn)
    assert.equal(me.body().id, second.id)

    // The choice is remembered: next time the subject logs straight in.
    const again = await loginThroughProvider(client, host, 'dana')
    assert.equal(again.location, '/')
    const meAgain = await client
      .get('/api/user')
      .header('host', host)
      .header('cookie', again.cookie)
    assert.equal(meAgain.body().id, second.id)
    ;(
      await client.get('/api/account-link-options').header('host', host).header('cookie', loggedIn)
    ).assertStatus(404)
  })

  test('a logged-in user connects a provider, lists and disconnects it; the last method stays', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    idp.accounts.set('ivy', { email: 'ivy.other@example.org', email_verified: true, name: 'Ivy' })
    idp.accounts.set('jon', { email: 'jon@example.org', email_verified: true, name: 'Jon' })

    // Ivy has a password account and connects the provider to it.
    const ivy = await givenUser(organisation, { email: 'ivy@example.org' })
    const { loginBrowser } = await import('#tests/helpers/world')
    const session = await loginBrowser(client, host, ivy)
    const connected = await loginThroughProvider(client, host, 'ivy', {
      cookie: session.cookie,
      connect: true,
    })
    assert.equal(connected.location, '/')
    const list = await client
      .get('/api/user/connections')
      .header('host', host)
      .header('cookie', connected.cookie)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 1)
    assert.equal(list.body().data[0].provider, 'idp')
    assert.equal(list.body().data[0].uid, 'ivy')

    const disconnect = await client
      .post(`/api/user/connections/${list.body().data[0].id}/disconnect`)
      .header('host', host)
      .header('cookie', connected.cookie)
      .header('x-xsrf-token', session.xsrf)
    disconnect.assertStatus(204)
    assert.isNull(
      await UserConnection.forOrganisation(organisation.id).where('user_id', ivy.id).first()
    )
    assert.isNotNull(
      await AuditEntry.forOrganisation(organisation.id)
        .where('event', 'user_connection.deleted')
        .where('actor_user_id', ivy.id)
        .first()
    )

    // Jon only ever logged in through the provider: that connection is his last way in.
    const jon = await loginThroughProvider(client, host, 'jon')
    const xsrf = decodeURIComponent(/XSRF-TOKEN=([^;]+)/.exec(jon.cookie)![1])
    const jonList = await client
      .get('/api/user/connections')
      .header('host', host)
      .header('cookie', jon.cookie)
    const refused = await client
      .post(`/api/user/connections/${jonList.body().data[0].id}/disconnect`)
      .header('host', host)
      .header('cookie', jon.cookie)
      .header('x-xsrf-token', xsrf)
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'connection.last_method')
  })

  test('connecting fails when the browser login ended during the flow', async ({
    client,
    assert,
  }) => {
    const { organisation, host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    idp.accounts.set('kim', { email: 'kim.other@example.org', email_verified: true, name: 'Kim' })
    const kim = await givenUser(organisation, { email: 'kim@example.org' })
    const { loginBrowser } = await import('#tests/helpers/world')
    const session = await loginBrowser(client, host, kim)
    const start = await client
      .get('/auth/idp/redirect?connect=1')
      .header('host', host)
      .header('cookie', session.cookie)
      .redirects(0)
    let cookie = cookieHeaderFrom(start, session.cookie)
    const logout = await client
      .post('/api/user/logout')
      .header('host', host)
      .header('cookie', cookie)
      .header('x-xsrf-token', session.xsrf)
    logout.assertStatus(204)
    cookie = cookieHeaderFrom(logout, cookie)
    const back = await signInAtProvider(start.header('location')!, 'kim')
    const callback = await client
      .get(`${back.pathname}${back.search}`)
      .header('host', host)
      .header('cookie', cookie)
      .redirects(0)
    assert.equal(callback.header('location'), '/error')
    assert.isNull(
      await UserConnection.forOrganisation(organisation.id).where('user_id', kim.id).first()
    )
  })

  test('connecting needs a browser login', async ({ client, assert }) => {
    const { host, idp } = await givenOidcOrganisation()
    providers.push(idp)
    const response = await client
      .get('/auth/idp/redirect?connect=1')
      .header('host', host)
      .redirects(0)
    response.assertStatus(302)
    assert.equal(response.header('location'), '/error')
  })

  test('the client secret is stored encrypted', async ({ assert }) => {
    const { organisation, idp } = await givenOidcOrganisation()
    providers.push(idp)
    const db = (await import('@adonisjs/lucid/services/db')).default
    const row = await db
      .from('oauth2_providers')
      .where('organisation_id', organisation.id)
      .firstOrFail()
    assert.notInclude(row.client_secret, idp.clientSecret)
    const entries = await AuditEntry.forOrganisation(organisation.id).where(
      'model',
      'OAuth2Provider'
    )
    assert.notInclude(JSON.stringify(entries.map((entry) => entry.changes)), idp.clientSecret)
    void Organisation
  })

  test('the permission bump: a superuser claim grants org_manager only when the provider is trusted for it', async ({
    client,
    assert,
  }) => {
    const trusted = await givenOidcOrganisation({ superuserClaim: 'is_superuser' })
    providers.push(trusted.idp)
    trusted.idp.accounts.set('root', {
      email: 'root@example.org',
      email_verified: true,
      name: 'Root',
      is_superuser: true,
    })
    trusted.idp.accounts.set('plain', {
      email: 'plain@example.org',
      email_verified: true,
      name: 'Plain',
    })
    const root = await loginThroughProvider(client, trusted.host, 'root')
    const rootUser = await client
      .get('/api/user')
      .header('host', trusted.host)
      .header('cookie', root.cookie)
    assert.deepEqual(rootUser.body().organisation_roles, ['org_manager'])
    const plain = await loginThroughProvider(client, trusted.host, 'plain')
    const plainUser = await client
      .get('/api/user')
      .header('host', trusted.host)
      .header('cookie', plain.cookie)
    assert.deepEqual(plainUser.body().organisation_roles, [])
    const granted = await AuditEntry.forOrganisation(trusted.organisation.id)
      .where('event', 'organisation_roles.changed')
      .where('actor_user_id', rootUser.body().id)
    assert.lengthOf(granted, 1)

    const untrusted = await givenOidcOrganisation()
    providers.push(untrusted.idp)
    untrusted.idp.accounts.set('root', {
      email: 'root@example.org',
      email_verified: true,
      name: 'Root',
      is_superuser: true,
    })
    const claimed = await loginThroughProvider(client, untrusted.host, 'root')
    const claimedUser = await client
      .get('/api/user')
      .header('host', untrusted.host)
      .header('cookie', claimed.cookie)
    assert.deepEqual(claimedUser.body().organisation_roles, [])
  })
})
