import { test } from '@japa/runner'
import { Readable } from 'node:stream'
import UserCreate from '../../../commands/user_create.js'
import AuditEntry from '#models/audit_entry'
import User from '#models/user'
import { organisationRolesOf } from '#services/actor_facts'
import { runCommand } from '#tests/helpers/commands'
import { givenOrganisation } from '#tests/helpers/world'

const oneTimePasswordIn = (stdout: string) => /One-time password for \S+: (\S+)/.exec(stdout)?.[1]
const withStdin = (text: string) => (command: UserCreate) => {
  command.stdin = Readable.from([text])
}

test.group('Commands | user:create (api.md §11.6)', () => {
  test('creates a user with a one-time password printed once; the user can log in with it', async ({
    assert,
    client,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { command, stdout } = await runCommand(UserCreate, [
      '--org',
      host,
      '--email',
      'Clerk@Example.org',
      '--first-name',
      'Cleo',
      '--last-name',
      'Clerk',
    ])
    command.assertSucceeded()
    const password = oneTimePasswordIn(stdout)!
    assert.isString(password)
    assert.lengthOf(stdout.split(password), 2)

    const user = (await User.forOrganisation(organisation.id)
      .where('email', 'clerk@example.org')
      .first())!
    assert.equal(user.fullName, 'Cleo Clerk')
    assert.isTrue(user.mustChangePassword)
    const entry = (await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'user.created')
      .first())!
    assert.equal(entry.objectId, String(user.id))
    assert.equal(entry.source, 'cli')

    const login = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: 'clerk@example.org', password })
    login.assertStatus(200)
    assert.isTrue(login.body().must_change_password)
  })

  test('--password-stdin takes the password from standard input and prints none', async ({
    assert,
    client,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { command, stdout } = await runCommand(
      UserCreate,
      [
        '--org',
        host,
        '--email',
        'piped@example.org',
        '--password-stdin',
        '--role',
        'meeting_creator',
      ],
      withStdin('a long enough secret\n')
    )
    command.assertSucceeded()
    assert.notInclude(stdout, 'One-time password')
    assert.notInclude(stdout, 'a long enough secret')

    const user = (await User.forOrganisation(organisation.id)
      .where('email', 'piped@example.org')
      .first())!
    assert.isFalse(user.mustChangePassword)
    assert.deepEqual(await organisationRolesOf(user), ['meeting_creator'])
    const events = (
      await AuditEntry.forOrganisation(organisation.id)
        .where('object_id', String(user.id))
        .orderBy('id')
    ).map((entry) => entry.event)
    assert.includeMembers(events, ['user.created'])
    const roleChanges = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'organisation_roles.changed'
    )
    assert.lengthOf(roleChanges, 1)

    // Only the trailing newline was dropped.
    const login = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: 'piped@example.org', password: 'a long enough secret' })
    login.assertStatus(200)
    assert.isFalse(login.body().must_change_password)
  })

  test('running it again for the same email changes nothing (password kept), but adds a missing role', async ({
    assert,
    client,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const argv = ['--org', host, '--email', 'again@example.org', '--password-stdin']
    ;(await runCommand(UserCreate, argv, withStdin('first password'))).command.assertSucceeded()
    const createdEntries = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'user.created'
    )

    const second = await runCommand(UserCreate, argv, withStdin('second password'))
    second.command.assertSucceeded()
    assert.include(second.stdout, 'already exists')
    assert.lengthOf(
      await AuditEntry.forOrganisation(organisation.id).where('event', 'user.created'),
      createdEntries.length
    )
    const kept = await client
      .post('/api/auth/login')
      .header('host', host)
      .json({ email: 'again@example.org', password: 'first password' })
    kept.assertStatus(200)

    const third = await runCommand(UserCreate, [
      '--org',
      host,
      '--email',
      'again@example.org',
      '--role',
      'org_manager',
    ])
    third.command.assertSucceeded()
    const user = (await User.forOrganisation(organisation.id)
      .where('email', 'again@example.org')
      .first())!
    assert.deepEqual(await organisationRolesOf(user), ['org_manager'])
    assert.lengthOf(await User.forOrganisation(organisation.id), 1)
  })

  test('clear one-line errors: unknown host, bad email, unknown role, short password', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const cases: Array<[string[], string, string?]> = [
      [
        ['--org', 'nowhere.invalid', '--email', 'a@example.org'],
        'No organisation on host "nowhere.invalid"',
      ],
      [
        ['--org', host, '--email', 'not-an-email'],
        '--email: The email field must be a valid email address',
      ],
      [
        ['--org', host, '--email', 'a@example.org', '--role', 'superuser'],
        '--role: Unknown organisation role; use org_manager or meeting_creator',
      ],
      [
        ['--org', host, '--email', 'a@example.org', '--password-stdin'],
        '--password-stdin: The password must have at least 8 characters',
        'short\n',
      ],
    ]
    for (const [argv, message, stdin] of cases) {
      const { command, stdout, stderr } = await runCommand(
        UserCreate,
        argv,
        stdin ? withStdin(stdin) : undefined
      )
      command.assertExitCode(1)
      assert.equal(stderr, `[ red(error) ] ${message}`)
      assert.equal(stdout, '')
    }
    assert.lengthOf(await User.forOrganisation(organisation.id), 0, 'no failed run created a user')
  })
})
