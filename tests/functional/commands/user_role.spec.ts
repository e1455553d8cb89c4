import { test } from '@japa/runner'
import UserRole from '../../../commands/user_role.js'
import AuditEntry from '#models/audit_entry'
import { organisationRolesOf } from '#services/actor_facts'
import { runCommand } from '#tests/helpers/commands'
import { givenOrganisation, givenUser } from '#tests/helpers/world'

const roleEntries = (organisationId: number) =>
  AuditEntry.forOrganisation(organisationId)
    .where('event', 'organisation_roles.changed')
    .orderBy('id')

test.group('Commands | user:role (api.md §11.6)', () => {
  test('--add grants a role with an audit entry; adding it again changes nothing', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation, { email: 'role@example.org' })

    const first = await runCommand(UserRole, [
      '--org',
      host,
      '--email',
      'ROLE@example.org',
      '--add',
      'meeting_creator',
    ])
    first.command.assertSucceeded()
    assert.include(first.stdout, 'Organisation roles of role@example.org: meeting_creator')
    assert.deepEqual(await organisationRolesOf(user), ['meeting_creator'])
    const entries = await roleEntries(organisation.id)
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].source, 'cli')
    assert.deepEqual(entries[0].changes.assigned, [[], ['meeting_creator']])

    const again = await runCommand(UserRole, [
      '--org',
      host,
      '--email',
      'role@example.org',
      '--add',
      'meeting_creator',
    ])
    again.command.assertSucceeded()
    assert.include(again.stdout, 'Nothing to change')
    assert.lengthOf(await roleEntries(organisation.id), 1)
  })

  test('--remove takes a role away (audited as a delete when none is left)', async ({ assert }) => {
    const { organisation, host } = await givenOrganisation()
    const user = await givenUser(organisation, { roles: ['org_manager', 'meeting_creator'] })

    const { command } = await runCommand(UserRole, [
      '--org',
      host,
      '--email',
      user.email!,
      '--remove',
      'org_manager',
    ])
    command.assertSucceeded()
    assert.deepEqual(await organisationRolesOf(user), ['meeting_creator'])

    ;(
      await runCommand(UserRole, [
        '--org',
        host,
        '--email',
        user.email!,
        '--remove',
        'meeting_creator',
      ])
    ).command.assertSucceeded()
    assert.deepEqual(await organisationRolesOf(user), [])
    const last = (await roleEntries(organisation.id)).at(-1)!
    assert.equal(last.action, 'delete')
    assert.deepEqual(last.changes.assigned, [['meeting_creator'], []])
  })

  test('clear one-line errors, nothing changed', async ({ assert }) => {
    const { organisation, host } = await givenOrganisation()
    const other = await givenOrganisation()
    const user = await givenUser(organisation, { email: 'here@example.org' })
    // Same email in another organisation: user:role never reaches across tenants.
    await givenUser(other.organisation, { email: 'there@example.org' })

    const cases: Array<[string[], string]> = [
      [
        ['--org', 'nowhere.invalid', '--email', 'here@example.org', '--add', 'org_manager'],
        'No organisation on host "nowhere.invalid"',
      ],
      [
        ['--org', host, '--email', 'there@example.org', '--add', 'org_manager'],
        `No user with email there@example.org in "${organisation.title}"`,
      ],
      [
        ['--org', host, '--email', 'here@example.org', '--add', 'admin'],
        '--add: Unknown organisation role; use org_manager or meeting_creator',
      ],
      [['--org', host, '--email', 'here@example.org'], 'Give --add <role> or --remove <role>'],
      [
        [
          '--org',
          host,
          '--email',
          'here@example.org',
          '--add',
          'org_manager',
          '--remove',
          'meeting_creator',
        ],
        'Give either --add or --remove, not both',
      ],
      [
        ['--org', host, '--email', 'bad email', '--add', 'org_manager'],
        '--email: The email field must be a valid email address',
      ],
    ]
    for (const [argv, message] of cases) {
      const { command, stderr } = await runCommand(UserRole, argv)
      command.assertExitCode(1)
      assert.equal(stderr, `[ red(error) ] ${message}`)
    }
    assert.deepEqual(await organisationRolesOf(user), [])
    assert.lengthOf(await roleEntries(organisation.id), 0)
  })
})
