import { test } from '@japa/runner'
import { Readable } from 'node:stream'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ace from '@adonisjs/core/services/ace'
import MeetingInvite from '#models/meeting_invite'
import AuditEntry from '#models/audit_entry'
import { givenOrganisation } from '#tests/helpers/world'
import { givenMeeting } from '#tests/helpers/meetings'
import InviteImport from '../../../commands/invite_import.js'
import InviteExpireDue from '../../../commands/invite_expire_due.js'
import InvitePurge from '../../../commands/invite_purge.js'
import { DateTime } from 'luxon'

async function run(argv: string[], stdin?: string) {
  await ace.boot()
  const command = await ace.create(InviteImport, argv)
  command.ui.switchMode('raw')
  if (stdin !== undefined) command.stdin = Readable.from([Buffer.from(stdin)])
  await command.exec()
  return {
    command,
    output: command.logger
      .getLogs()
      .map((log) => log.message)
      .join('\n'),
  }
}

test.group('invite:import', () => {
  test('imports a CSV file with the pipeline; dry run stores nothing; errors name the line', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const meeting = await givenMeeting(organisation)
    const file = join(mkdtempSync(join(tmpdir(), 'invites-')), 'members.csv')
    writeFileSync(file, 'email,roles\nann@example.com,pa pr\nben@example.com,\n')

    const dry = await run([file, '--org', host, '-m', String(meeting.id), '--dryrun'])
    assert.include(dry.output, 'Dry run: would add 2')
    assert.lengthOf(
      await MeetingInvite.forOrganisation(organisation.id).where('meeting_id', meeting.id),
      0
    )

    const real = await run([file, '--org', host, '-m', String(meeting.id), '--roles', 'pa di'])
    assert.equal(real.command.exitCode ?? 0, 0, real.output)
    assert.include(real.output, 'Added 2, changed 0, unchanged 0')
    const invites = await MeetingInvite.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    assert.deepEqual(
      invites.map((i) => [i.email, i.roles]),
      [
        ['ann@example.com', ['pa', 'pr']],
        ['ben@example.com', ['pa', 'di']],
      ]
    )
    const audit = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'meeting_invite.created'
    )
    assert.deepEqual([...new Set(audit.map((entry) => entry.source))], ['cli'])

    const bad = await run(['--org', host, '-m', String(meeting.id)], 'email\nnot-an-email\n')
    assert.equal(bad.command.exitCode, 1)
    assert.include(bad.output, 'line.2.email', bad.output)
  })

  test('invite:expire-due and invite:purge run the jobs', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const meeting = await givenMeeting(organisation)
    const { default: CreateInvites } = await import('#actions/invitations/create_invites')
    const { systemActor } = await import('#services/audit_log')
    const result = await new CreateInvites().execute({
      organisation,
      meeting,
      rows: [{ email: 'late@example.com' }],
      roles: ['pa'],
      links: true,
      actor: systemActor('cli'),
    })
    const invite = (await MeetingInvite.findInOrganisation(
      organisation.id,
      result.links![0].invite!
    ))!
    invite.expires = DateTime.utc().minus({ days: 1 })
    await invite.save()
    await ace.boot()
    const expire = await ace.create(InviteExpireDue, [])
    expire.ui.switchMode('raw')
    await expire.exec()
    assert.match(
      expire.logger
        .getLogs()
        .map((log) => log.message)
        .join('\n'),
      /Expired [1-9]\d* invitation/
    )
    const after = (await MeetingInvite.findInOrganisation(organisation.id, invite.id))!
    assert.equal(after.state, 'expired')
    const purge = await ace.create(InvitePurge, [])
    purge.ui.switchMode('raw')
    await purge.exec()
    assert.include(
      purge.logger
        .getLogs()
        .map((log) => log.message)
        .join('\n'),
      'Deleted'
    )
    // Only 1 day old: kept.
    assert.isNotNull(await MeetingInvite.findInOrganisation(organisation.id, invite.id))
  })
})
