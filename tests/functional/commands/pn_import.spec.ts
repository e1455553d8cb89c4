import { writeFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import PnImport from '../../../commands/pn_import.js'
import AuditEntry from '#models/audit_entry'
import ParticipantNumber from '#models/participant_number'
import { parsePnFile } from '#domain/participant_numbers/import_file'
import { runCommand } from '#tests/helpers/commands'
import { capturePublished, givenMeeting, givenRoles, meetingWorld } from '#tests/helpers/meetings'
import { givenOrganisation, givenUser } from '#tests/helpers/world'

async function pnWorld() {
  const { organisation, host } = await givenOrganisation()
  const ann = await givenUser(organisation, { email: `ann-${organisation.id}@example.org` })
  const bo = await givenUser(organisation, { email: `bo-${organisation.id}@example.org` })
  const cy = await givenUser(organisation, { email: `cy-${organisation.id}@example.org` })
  const outsider = await givenUser(organisation, { email: `out-${organisation.id}@example.org` })
  const meeting = await givenMeeting(organisation)
  for (const user of [ann, bo, cy]) await givenRoles(meeting, user, ['pa'])
  return { organisation, host, meeting, ann, bo, cy, outsider }
}

type PnWorld = Awaited<ReturnType<typeof pnWorld>>

async function importText(world: PnWorld, text: string, extra: string[] = []) {
  const file = app.tmpPath(`pn-${world.meeting.id}-${Math.random().toString(36).slice(2)}.txt`)
  await writeFile(file, text)
  return runCommand(PnImport, [file, '--org', world.host, '-m', String(world.meeting.id), ...extra])
}

const numbers = async (world: PnWorld) =>
  (
    await ParticipantNumber.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .orderBy('number')
  ).map((row) => [row.userId, row.number, row.rev])

test.group('Commands | pn:import (domain §15.5)', () => {
  test('a good file creates the PN system and the numbers; audited and published', async ({
    assert,
  }) => {
    const world = await pnWorld()
    const { result: run, messages } = await capturePublished(() =>
      importText(
        world,
        `# number email\n1 ${world.ann.email}\n\n2\t${world.bo.email!.toUpperCase()}\n3, ${world.cy.email}\n`
      )
    )
    run.command.assertSucceeded()
    assert.include(run.stdout, 'Added 3, changed 0, unchanged 0, removed 0')
    assert.deepEqual(await numbers(world), [
      [world.ann.id, 1, 1],
      [world.bo.id, 2, 1],
      [world.cy.id, 3, 1],
    ])
    assert.deepEqual(
      messages.map((m) => m.type),
      ['pn.changed', 'pn.changed', 'pn.changed']
    )
    const events = (
      await AuditEntry.forOrganisation(world.organisation.id)
        .whereIn('model', ['PNSystem', 'ParticipantNumber'])
        .orderBy('id')
    ).map((entry) => [entry.event, entry.source])
    assert.deepEqual(events, [
      ['pn_system.created', 'cli'],
      ['pn.created', 'cli'],
      ['pn.created', 'cli'],
      ['pn.created', 'cli'],
    ])

    // Again with the same file: nothing changes. A swap of numbers works (unique index).
    const again = await importText(world, `1 ${world.ann.email}\n2 ${world.bo.email}\n`)
    assert.include(again.stdout, 'Added 0, changed 0, unchanged 2, removed 0')
    const swap = await importText(world, `2 ${world.ann.email}\n1 ${world.bo.email}\n`)
    swap.command.assertSucceeded()
    assert.deepEqual(await numbers(world), [
      [world.bo.id, 1, 2],
      [world.ann.id, 2, 2],
      [world.cy.id, 3, 1],
    ])
  })

  test('standard input and --clear', async ({ assert }) => {
    const world = await pnWorld()
    await importText(world, `1 ${world.ann.email}\n2 ${world.bo.email}\n3 ${world.cy.email}\n`)
    // Without --clear a number held by someone not listed cannot be given away.
    const taken = await importText(world, `3 ${world.ann.email}\n`)
    taken.command.assertFailed()
    assert.match(taken.stderr, /line 1: Number 3 belongs to another participant/)

    const { command, stdout } = await runCommand(
      PnImport,
      ['--org', world.host, '-m', String(world.meeting.id), '--clear'],
      (c) => {
        c.stdin = Readable.from([`10 ${world.cy.email}\n`])
      }
    )
    command.assertSucceeded()
    assert.include(stdout, 'Added 0, changed 1, unchanged 0, removed 2')
    assert.deepEqual(await numbers(world), [[world.cy.id, 10, 2]])
  })

  test('a bad line is exit 1 naming the line; nothing is stored', async ({ assert }) => {
    const world = await pnWorld()
    const cases: Array<[string, RegExp]> = [
      [`1 ${world.ann.email}\n\nx ${world.bo.email}\n`, /\] line 3: "x" is not a number/],
      [`1 ${world.ann.email}\n2\n`, /\] line 2: expected "<number> <email>"/],
      [`1 ${world.ann.email}\n1 ${world.bo.email}\n`, /\] line 2: number 1 is already on line 1/],
      [`1 ${world.ann.email}\n2 nobody@example.org\n`, /\] line 2: No user nobody@example.org/],
      [`1 ${world.ann.email}\n2 ${world.outsider.email}\n`, /\] line 2: .* is not a participant/],
      [`0 ${world.ann.email}\n`, /\] line 1: "0" is not a number from 1 to 999999/],
    ]
    for (const [text, message] of cases) {
      const run = await importText(world, text)
      run.command.assertFailed()
      assert.match(run.stderr, message)
      assert.notInclude(run.stderr, '    at ')
    }
    assert.deepEqual(await numbers(world), [])
    const wrongMeeting = await runCommand(PnImport, ['--org', world.host, '-m', '999999'], (c) => {
      c.stdin = Readable.from([''])
    })
    wrongMeeting.command.assertFailed()
    assert.match(wrongMeeting.stderr, /No meeting 999999/)
  })

  test('parser: separators, comments, case', ({ assert }) => {
    assert.deepEqual(parsePnFile('\uFEFF1;A@x.org\r\n# c\n 2  b@x.org \n'), {
      ok: true,
      lines: [
        { line: 1, number: 1, email: 'a@x.org' },
        { line: 3, number: 2, email: 'b@x.org' },
      ],
    })
    assert.deepEqual(parsePnFile('1 a@x.org\n2 A@X.org'), {
      ok: false,
      line: 2,
      message: 'a@x.org is already on line 1',
    })
  })
})

test.group('Participant numbers | GET /api/participant-numbers (api.md §6.7)', () => {
  test('lists the numbers of the meeting in number order; empty without a PN system', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const path = `/api/participant-numbers?meeting=${world.meeting.id}`
    let response = await world.as('participant', client.get(path))
    response.assertStatus(200)
    assert.deepEqual(response.body(), { data: [] })

    const file = app.tmpPath(`pn-list-${world.meeting.id}.txt`)
    await writeFile(file, `7 ${world.users.discusser.email}\n3 ${world.users.participant.email}\n`)
    const run = await runCommand(PnImport, [
      file,
      '--org',
      world.host,
      '-m',
      String(world.meeting.id),
    ])
    run.command.assertSucceeded()
    response = await world.as('discusser', client.get(path))
    response.assertStatus(200)
    const rows = await ParticipantNumber.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .orderBy('number')
    assert.deepEqual(response.body(), {
      data: rows.map((row) => ({
        id: row.id,
        rev: 1,
        meeting: world.meeting.id,
        user: row.userId,
        number: row.number,
      })),
    })
    assert.deepEqual(
      response.body().data.map((row: { user: number }) => row.user),
      [world.users.participant.id, world.users.discusser.id]
    )
    // Another meeting's numbers are not mixed in.
    const other = await givenMeeting(world.organisation, { moderator: world.users.participant })
    response = await world.as(
      'participant',
      client.get(`/api/participant-numbers?meeting=${other.id}`)
    )
    assert.deepEqual(response.body(), { data: [] })
    response = await world.as('participant', client.get('/api/participant-numbers'))
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'meeting')
  })
})
