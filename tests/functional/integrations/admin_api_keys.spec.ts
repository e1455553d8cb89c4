import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import MeetingApiKey from '#models/meeting_api_key'
import OAuth2Provider from '#models/oauth2_provider'
import CreateMeeting from '#actions/meetings/create_meeting'
import { systemActor } from '#services/audit_log'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

/** The admin screens for meeting API keys (domain §18.2): same rules as the API. */
test.group('Admin | meeting API keys', () => {
  test('a moderator creates a key, sees it once, revokes and replaces keys', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const moderator = await givenUser(organisation)
    const meeting = await new CreateMeeting().execute({
      organisation,
      title: 'Board meeting',
      creator: moderator,
      actor: systemActor('cli'),
    })
    const browser = await loginAdmin(client, host, moderator)

    const index = await visit(browser, '/admin/api-keys')
    index.assertStatus(200)
    assert.include(index.text(), 'Board meeting')

    const page = await visit(browser, `/admin/meetings/${meeting.id}/api-keys`)
    page.assertStatus(200)
    assert.include(page.text(), 'invites.add_roles')

    const created = await submit(browser, `/admin/meetings/${meeting.id}/api-keys`, {
      'name': 'Member register',
      'scopes[0]': 'invites.create',
      'scopes[1]': 'invites.*',
    })
    assert.equal(redirectedTo(created), `/admin/meetings/${meeting.id}/api-keys`)
    const shown = await visit(browser, `/admin/meetings/${meeting.id}/api-keys`)
    const raw = /class="secret">([^<]+)</.exec(shown.text())?.[1]
    assert.exists(raw)
    const key = await MeetingApiKey.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .firstOrFail()
    assert.deepEqual(key.scopes, ['invites.*'])
    assert.isTrue(raw!.startsWith(`${key.prefix}.`))
    // Shown once: the next visit no longer contains it.
    const again = await visit(browser, `/admin/meetings/${meeting.id}/api-keys`)
    assert.notInclude(again.text(), raw!)
    const works = await client
      .get('/api/token-api/invites')
      .header('host', host)
      .header('authorization', `Api-Key ${raw}`)
    works.assertStatus(200)

    const cycled = await submit(
      browser,
      `/admin/meetings/${meeting.id}/api-keys/${key.prefix}/cycle`,
      {}
    )
    assert.equal(redirectedTo(cycled), `/admin/meetings/${meeting.id}/api-keys`)
    const replacement = await MeetingApiKey.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .firstOrFail()
    assert.notEqual(replacement.prefix, key.prefix)

    await visit(browser, `/admin/meetings/${meeting.id}/api-keys`)
    await submit(browser, `/admin/meetings/${meeting.id}/api-keys/${replacement.prefix}/revoke`, {})
    const revoked = await MeetingApiKey.forOrganisation(organisation.id)
      .where('id', replacement.id)
      .firstOrFail()
    assert.isNotNull(revoked.revoked)

    const entries = await AuditEntry.forOrganisation(organisation.id)
      .where('model', 'MeetingAPIKey')
      .where('actor_user_id', moderator.id)
      .orderBy('id')
    assert.includeMembers(
      entries.map((entry) => entry.event),
      ['meeting_api_key.created', 'meeting_api_key.cycled', 'meeting_api_key.revoked']
    )
    assert.isTrue(entries.every((entry) => entry.source === 'admin'))
  })

  test('a user who does not moderate the meeting gets 403 and cannot create keys', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const moderator = await givenUser(organisation)
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const meeting = await new CreateMeeting().execute({
      organisation,
      title: 'Private',
      creator: moderator,
      actor: systemActor('cli'),
    })
    const browser = await loginAdmin(client, host, manager)
    const page = await visit(browser, `/admin/meetings/${meeting.id}/api-keys`)
    page.assertStatus(403)
    await visit(browser, '/admin/api-keys')
    await submit(browser, `/admin/meetings/${meeting.id}/api-keys`, {
      'name': 'x',
      'scopes[0]': 'meeting.list',
    })
    assert.isNull(
      await MeetingApiKey.forOrganisation(organisation.id).where('meeting_id', meeting.id).first()
    )
  })
})

test.group('Admin | login providers', () => {
  test('an organisation manager adds, edits (secret kept) and deletes a provider', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const browser = await loginAdmin(client, host, manager)

    await visit(browser, '/admin/login-providers/new')
    const missing = await submit(browser, '/admin/login-providers', {
      provider_id: 'idp',
      oidc_endpoint: 'nope',
    })
    assert.equal(missing.status(), 302)
    assert.isNull(await OAuth2Provider.forOrganisation(organisation.id).first())

    await visit(browser, '/admin/login-providers/new')
    const created = await submit(browser, '/admin/login-providers', {
      provider_id: 'idp',
      title: 'Our IdP',
      oidc_endpoint: 'https://idp.example.org/realms/main',
      client_id: 'assembly',
      client_secret: 'first-secret',
      scope: 'openid email profile',
      pkce: '1',
      primary: '1',
    })
    assert.equal(redirectedTo(created), '/admin/login-providers')
    const provider = await OAuth2Provider.forOrganisation(organisation.id)
      .where('provider_id', 'idp')
      .firstOrFail()
    assert.isTrue(provider.primary)
    assert.equal(provider.clientSecret(), 'first-secret')

    const list = await visit(browser, '/admin/login-providers')
    assert.include(list.text(), `https://${host}/auth/idp/callback`)
    assert.notInclude(list.text(), 'first-secret')
    const org = await client.get('/api/organisation').header('host', host)
    assert.equal(org.body().login_url, '/auth/idp/redirect')

    const form = await visit(browser, `/admin/login-providers/${provider.id}/edit`)
    assert.notInclude(form.text(), 'first-secret')
    await submit(browser, `/admin/login-providers/${provider.id}`, {
      title: 'Renamed',
      oidc_endpoint: 'https://idp.example.org/realms/main',
      client_id: 'assembly-2',
      client_secret: '',
      scope: 'openid email',
    })
    const updated = await OAuth2Provider.forOrganisation(organisation.id)
      .where('id', provider.id)
      .firstOrFail()
    assert.equal(updated.clientId, 'assembly-2')
    assert.isFalse(updated.primary)
    assert.isFalse(updated.pkce)
    assert.equal(updated.clientSecret(), 'first-secret')

    await visit(browser, '/admin/login-providers')
    await submit(browser, `/admin/login-providers/${provider.id}/delete`, {})
    assert.isNull(await OAuth2Provider.forOrganisation(organisation.id).first())
    const events = (
      await AuditEntry.forOrganisation(organisation.id)
        .where('model', 'OAuth2Provider')
        .orderBy('id')
    ).map((entry) => entry.event)
    assert.deepEqual(events, [
      'oauth2_provider.created',
      'oauth2_provider.updated',
      'oauth2_provider.deleted',
    ])
  })

  test('other users cannot see or change login providers', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation)
    const browser = await loginAdmin(client, host, user)
    ;(await visit(browser, '/admin/login-providers')).assertStatus(403)
    await visit(browser, '/admin')
    await submit(browser, '/admin/login-providers', {
      provider_id: 'idp',
      oidc_endpoint: 'https://idp.example.org',
      client_id: 'x',
      client_secret: 'y',
    })
    assert.isNull(await OAuth2Provider.forOrganisation(organisation.id).first())
  })
})
