import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import OrgCreate from '../../../commands/org_create.js'
import AuditEntry from '#models/audit_entry'
import Organisation from '#models/organisation'
import OrganisationHost from '#models/organisation_host'
import User from '#models/user'
import { organisationRolesOf } from '#services/actor_facts'
import { resolveOrganisationByHost } from '#services/tenancy'
import { runCommand } from '#tests/helpers/commands'
import { givenOrganisation } from '#tests/helpers/world'

const uniqueHost = () => `${randomUUID().slice(0, 8)}.test`
const oneTimePasswordIn = (stdout: string) => /One-time password for \S+: (\S+)/.exec(stdout)?.[1]

test.group('Commands | org:create (api.md §11.6)', () => {
  test('creates the organisation with password login on, its hosts and an audit entry', async ({
    assert,
  }) => {
    const host = uniqueHost()
    const alias = `www.${host}`
    const { command, stdout, stderr } = await runCommand(OrgCreate, [
      '--name',
      'Example Association',
      '--host',
      host,
      '--host',
      alias,
    ])
    command.assertSucceeded()
    assert.equal(stderr, '')
    assert.include(stdout, 'Created organisation "Example Association"')

    const organisation = (await resolveOrganisationByHost(host))!
    assert.equal(organisation.title, 'Example Association')
    assert.isTrue(organisation.settings.password_login)
    assert.equal((await resolveOrganisationByHost(alias))?.id, organisation.id)

    const entries = await AuditEntry.forOrganisation(organisation.id)
    assert.deepEqual(
      entries.map((entry) => [entry.event, entry.source, entry.actorUserId]),
      [['organisation.created', 'cli', null]]
    )
    // No --admin-email: no user.
    assert.lengthOf(await User.forOrganisation(organisation.id), 0)
  })

  test('host names are normalised to lower case', async ({ assert }) => {
    const host = uniqueHost()
    const { command } = await runCommand(OrgCreate, [
      '--name',
      'Upper',
      '--host',
      host.toUpperCase(),
    ])
    command.assertSucceeded()
    const rows = await OrganisationHost.query().where('host', host)
    assert.lengthOf(rows, 1)
  })

  test('--admin-email creates an org_manager whose one-time password is printed once and logs in', async ({
    assert,
    client,
  }) => {
    const host = uniqueHost()
    const { command, stdout } = await runCommand(OrgCreate, [
      '--name',
      'With Admin',
      '--host',
      host,
      '--admin-email',
      'Chair@Example.org',
    ])
    command.assertSucceeded()
    const password = oneTimePasswordIn(stdout)
    assert.isString(password)
    assert.lengthOf(stdout.split(password!), 2, 'the password appears exactly once')

    const organisation = (await resolveOrganisationByHost(host))!
    const admin = (await User.forOrganisation(organisation.id)
      .where('email', 'chair@example.org')
      .first())!
    assert.isTrue(admin.mustChangePassword)
    assert.deepEqual(await organisationRolesOf(admin), ['org_manager'])
    const events = (await AuditEntry.forOrganisation(organisation.id).orderBy('id')).map(
      (entry) => entry.event
    )
    assert.deepEqual(events, ['organisation.created', 'user.created', 'organisation_roles.changed'])

    const login = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: 'chair@example.org', password })
    login.assertStatus(200)
    assert.equal(login.body().id, admin.id)
    assert.isTrue(login.body().must_change_password)
    assert.deepEqual(login.body().organisation_roles, ['org_manager'])
  })

  test('a second run with the same name and hosts is a no-op that says so, and prints no password', async ({
    assert,
  }) => {
    const host = uniqueHost()
    const argv = ['--name', 'Twice', '--host', host, '--admin-email', 'twice@example.org']
    const first = await runCommand(OrgCreate, argv)
    first.command.assertSucceeded()
    const organisation = (await resolveOrganisationByHost(host))!
    const entriesBefore = await AuditEntry.forOrganisation(organisation.id).count('* as total')

    const second = await runCommand(OrgCreate, argv)
    second.command.assertSucceeded()
    assert.include(second.stdout, 'already exists')
    assert.include(second.stdout, 'nothing changed')
    assert.isUndefined(oneTimePasswordIn(second.stdout))
    assert.equal(second.stderr, '')

    assert.lengthOf(await Organisation.query().where('title', 'Twice'), 1)
    assert.lengthOf(await User.forOrganisation(organisation.id), 1)
    const entriesAfter = await AuditEntry.forOrganisation(organisation.id).count('* as total')
    assert.deepEqual(entriesAfter[0].$extras, entriesBefore[0].$extras, 'nothing new was audited')
  })

  test('a re-run completes a missing admin of an existing organisation', async ({ assert }) => {
    const host = uniqueHost()
    ;(await runCommand(OrgCreate, ['--name', 'Later', '--host', host])).command.assertSucceeded()
    const { command, stdout } = await runCommand(OrgCreate, [
      '--name',
      'Later',
      '--host',
      host,
      '--admin-email',
      'late@example.org',
    ])
    command.assertSucceeded()
    assert.include(stdout, 'already exists')
    assert.isString(oneTimePasswordIn(stdout))
    const organisation = (await resolveOrganisationByHost(host))!
    const admin = (await User.forOrganisation(organisation.id)
      .where('email', 'late@example.org')
      .first())!
    assert.deepEqual(await organisationRolesOf(admin), ['org_manager'])
  })

  test('a host of another organisation is a one-line error with exit code 1', async ({
    assert,
  }) => {
    const { host } = await givenOrganisation('Owner')
    const { command, stdout, stderr } = await runCommand(OrgCreate, [
      '--name',
      'Intruder',
      '--host',
      uniqueHost(),
      '--host',
      host,
    ])
    command.assertExitCode(1)
    assert.equal(stdout, '')
    assert.equal(stderr, `[ red(error) ] Host "${host}" already belongs to another organisation`)
    assert.lengthOf(await Organisation.query().where('title', 'Intruder'), 0)
  })

  test('a bad admin email is refused before anything is created', async ({ assert }) => {
    const host = uniqueHost()
    const { command, stderr } = await runCommand(OrgCreate, [
      '--name',
      'Bad Email',
      '--host',
      host,
      '--admin-email',
      'not-an-email',
    ])
    command.assertExitCode(1)
    assert.equal(
      stderr,
      '[ red(error) ] --admin-email: The admin-email field must be a valid email address'
    )
    assert.isNull(await resolveOrganisationByHost(host))
  })

  test('a malformed host name is refused', async ({ assert }) => {
    for (const bad of ['https://x.test', 'x.test:3333', 'two words.test', 'x.test/path']) {
      const { command, stderr } = await runCommand(OrgCreate, ['--name', 'Bad Host', '--host', bad])
      command.assertExitCode(1)
      assert.match(stderr, /^\[ red\(error\) \] --host: Not a host name/)
    }
    assert.lengthOf(await Organisation.query().where('title', 'Bad Host'), 0)
  })

  test('missing flags are named in one line (and --help still works without them)', async ({
    assert,
  }) => {
    const { command, stderr } = await runCommand(OrgCreate, [])
    command.assertExitCode(1)
    assert.equal(
      stderr,
      '[ red(error) ] --name: The name field must be defined; --host: The host field must be defined'
    )
  })
})
