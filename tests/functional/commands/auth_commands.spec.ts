import { test } from '@japa/runner'
import AuthProvider from '../../../commands/auth_provider.js'
import AuthClearPartial from '../../../commands/auth_clear_partial.js'
import AuthClearExtraData from '../../../commands/auth_clear_extra_data.js'
import OrgReportMatchCandidates from '../../../commands/org_report_match_candidates.js'
import User from '#models/user'
import OAuth2Provider from '#models/oauth2_provider'
import PartialLogin from '#models/partial_login'
import UserConnection from '#models/user_connection'
import AuditEntry from '#models/audit_entry'
import { runCommand } from '#tests/helpers/commands'
import { givenLoginLeftovers } from '#tests/helpers/logins'
import { givenOrganisation, givenUser } from '#tests/helpers/world'

test.group('Commands | auth:provider, auth:clear-partial, auth:clear-extra-data', () => {
  test('auth:provider creates, then updates a provider; the secret is encrypted and kept', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    process.env.TEST_OIDC_SECRET = 'super-secret-value'
    const first = await runCommand(AuthProvider, [
      'scoutid',
      '--org',
      host,
      '--issuer',
      'https://login.example.org/realms/main',
      '--client-id',
      'assembly',
      '--client-secret-env',
      'TEST_OIDC_SECRET',
      '--primary',
    ])
    first.command.assertSucceeded()
    assert.include(first.stdout, '/auth/scoutid/callback')
    const provider = await OAuth2Provider.forOrganisation(organisation.id)
      .where('provider_id', 'scoutid')
      .firstOrFail()
    assert.isTrue(provider.primary)
    assert.isTrue(provider.pkce)
    assert.notInclude(provider.clientSecretEncrypted, 'super-secret-value')
    assert.equal(provider.clientSecret(), 'super-secret-value')

    const second = await runCommand(AuthProvider, [
      'scoutid',
      '--org',
      host,
      '--issuer',
      'https://login.example.org/realms/other',
      '--client-id',
      'assembly',
      '--no-pkce',
    ])
    second.command.assertSucceeded()
    const updated = await OAuth2Provider.forOrganisation(organisation.id)
      .where('provider_id', 'scoutid')
      .firstOrFail()
    assert.equal(updated.oidcEndpoint, 'https://login.example.org/realms/other')
    assert.isFalse(updated.pkce)
    assert.equal(updated.clientSecret(), 'super-secret-value')
    const events = (
      await AuditEntry.forOrganisation(organisation.id)
        .where('model', 'OAuth2Provider')
        .orderBy('id')
    ).map((entry) => entry.event)
    assert.deepEqual(events, ['oauth2_provider.created', 'oauth2_provider.updated'])

    const bad = await runCommand(AuthProvider, [
      'Bad Id!',
      '--org',
      host,
      '--issuer',
      'not a url',
      '--client-id',
      'x',
    ])
    assert.equal(bad.command.exitCode, 1)
  })

  test('auth:clear-partial deletes only stale partial logins; auth:clear-extra-data only old claims', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const { stalePartial, freshPartial, oldConnection, recentConnection } =
      await givenLoginLeftovers(organisation)

    const cleared = await runCommand(AuthClearPartial, [])
    cleared.command.assertSucceeded()
    assert.isNull(
      await PartialLogin.forOrganisation(organisation.id).where('id', stalePartial.id).first()
    )
    assert.isNotNull(
      await PartialLogin.forOrganisation(organisation.id).where('id', freshPartial.id).first()
    )

    ;(await runCommand(AuthClearExtraData, [])).command.assertSucceeded()
    const oldAfter = await UserConnection.findInOrganisation(organisation.id, oldConnection.id)
    const recentAfter = await UserConnection.findInOrganisation(
      organisation.id,
      recentConnection.id
    )
    assert.deepEqual(oldAfter!.extraData, {})
    assert.isNull(oldAfter!.extraDataAt)
    assert.deepEqual(recentAfter!.extraData, { email: 'recent@example.org' })
  })
})

test.group('Commands | org:report-match-candidates', () => {
  test('counts unique, ambiguous and email-less accounts and lists the ambiguous ones', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    await givenUser(organisation, { email: 'unique@example.org' })
    const base = {
      organisationId: organisation.id,
      isActive: true,
      isSuperuser: false,
      mustChangePassword: false,
      rev: 1,
    }
    await User.create({ ...base, email: 'Twin@example.org', userid: 'twin-a' })
    await User.create({ ...base, email: 'twin@example.org', userid: 'twin-b' })
    await User.create({ ...base, email: null, userid: 'nomail' })
    await User.create({ ...base, email: null, userid: 'apikey-x', isActive: false })

    const { command, stdout } = await runCommand(OrgReportMatchCandidates, [
      '--host',
      host,
      '--show-ambiguous',
    ])
    command.assertSucceeded()
    assert.include(
      stdout,
      '4 active user(s), 1 matched by a unique email, 1 ambiguous email(s), 1 without email'
    )
    assert.match(stdout, /twin@example\.org: \d+ \(twin-a\), \d+ \(twin-b\)/)

    const unknown = await runCommand(OrgReportMatchCandidates, [
      '--host',
      host,
      '--provider',
      'nope',
    ])
    assert.equal(unknown.command.exitCode, 1)
  })
})
