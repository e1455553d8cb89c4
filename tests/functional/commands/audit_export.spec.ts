import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import AuditExport from '../../../commands/audit_export.js'
import type Organisation from '#models/organisation'
import AuditEntry from '#models/audit_entry'
import { recordAudit, systemActor } from '#services/audit_log'
import { AUDIT_CSV_COLUMNS } from '#services/audit_export'
import { auditEntryForApi } from '#transformers/audit_entry_transformer'
import { runCommand } from '#tests/helpers/commands'
import { givenOrganisation } from '#tests/helpers/world'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'audit-export-'))

/** Entries written the way actions write them (recordAudit in a transaction). */
async function givenEntries(
  organisation: Organisation,
  count: number,
  extra: { meetingId?: number } = {}
) {
  await db.transaction(async (trx) => {
    for (let i = 0; i < count; i++) {
      await recordAudit(trx, systemActor('cli'), {
        organisationId: organisation.id,
        meetingId: extra.meetingId ?? null,
        action: 'update',
        event: 'thing.changed',
        model: 'Thing',
        objectId: i,
        changes: { title: [`old ${i}`, `new, "quoted" ${i}\nline`] },
      })
    }
  })
}

/** Runs audit:export with standard output captured. */
async function exportToStdout(argv: string[]) {
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  const run = await runCommand(AuditExport, argv, (command) => {
    command.stdout = sink
  })
  return { ...run, data: Buffer.concat(chunks).toString('utf8') }
}

const jsonLines = (data: string) =>
  data
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))

/** RFC 4180 (quoted fields, doubled quotes, newlines inside quotes): enough to read the export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') ((field += '"'), i++)
      else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') (row.push(field), (field = ''))
    else if (char === '\n') (row.push(field), rows.push(row), (row = []), (field = ''))
    else field += char
  }
  if (field || row.length) (row.push(field), rows.push(row))
  return rows
}

test.group('Commands | audit:export (domain §22.1)', () => {
  test('JSON Lines on standard output: the API shape, in id order, of this organisation only', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const other = await givenOrganisation()
    await givenEntries(organisation, 3)
    await givenEntries(other.organisation, 2)

    const { command, data, stdout, stderr } = await exportToStdout(['--org', host])
    command.assertSucceeded()
    assert.equal(stdout, '', 'no messages mixed into the data')
    assert.equal(stderr, '')
    const expected = (await AuditEntry.forOrganisation(organisation.id).orderBy('id')).map(
      (entry) => JSON.parse(JSON.stringify(auditEntryForApi(entry)))
    )
    assert.lengthOf(expected, 4) // organisation.created + 3
    assert.deepEqual(jsonLines(data), expected)
    assert.isTrue(data.endsWith('\n'))
  })

  test('CSV: documented columns in order, nulls empty, changes as JSON, quoting survives commas and newlines', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    await givenEntries(organisation, 2, { meetingId: 4242 })

    const { command, data } = await exportToStdout(['--org', host, '--format', 'csv'])
    command.assertSucceeded()
    const [header, ...rows] = parseCsv(data)
    assert.deepEqual(header, [...AUDIT_CSV_COLUMNS])
    assert.lengthOf(rows, 3)

    const entries = await AuditEntry.forOrganisation(organisation.id).orderBy('id')
    rows.forEach((row, i) => {
      const record = Object.fromEntries(header.map((column, c) => [column, row[c]]))
      const api = auditEntryForApi(entries[i])
      assert.equal(record.id, String(api.id))
      assert.equal(record.created, api.created)
      assert.equal(record.event, api.event)
      assert.equal(record.actor, '', 'null actor is an empty field')
      assert.equal(record.meeting, api.meeting === null ? '' : String(api.meeting))
      assert.deepEqual(JSON.parse(record.changes), api.changes)
    })
    assert.equal(JSON.parse(rows[2][header.indexOf('changes')]).title[1], 'new, "quoted" 1\nline')
  })

  test('an empty export still has the CSV header; JSON Lines is empty', async ({ assert }) => {
    const { host } = await givenOrganisation()
    const csv = await exportToStdout(['--org', host, '--format', 'csv', '--meeting', '999999'])
    csv.command.assertSucceeded()
    assert.equal(csv.data, AUDIT_CSV_COLUMNS.join(',') + '\n')
    const jsonl = await exportToStdout(['--org', host, '--meeting', '999999'])
    jsonl.command.assertSucceeded()
    assert.equal(jsonl.data, '')
  })

  test('filters: --meeting, --since (inclusive) and --until (exclusive)', async ({ assert }) => {
    const { organisation, host } = await givenOrganisation()
    await givenEntries(organisation, 2, { meetingId: 7001 })
    await givenEntries(organisation, 3, { meetingId: 7002 })
    // Spread the entries over known times (the audit log has no update path; tests set the scene).
    const entries = await AuditEntry.forOrganisation(organisation.id).orderBy('id')
    for (const [index, entry] of entries.entries()) {
      // Through the model so that each dialect gets its own timestamp format.
      entry.createdAt = DateTime.fromISO(`2026-03-0${index + 1}T12:00:00Z`, { zone: 'utc' })
      await entry.save()
    }

    const byMeeting = await exportToStdout(['--org', host, '--meeting', '7002'])
    assert.deepEqual(
      jsonLines(byMeeting.data).map((line) => line.meeting),
      [7002, 7002, 7002]
    )

    const window = await exportToStdout([
      '--org',
      host,
      '--since',
      '2026-03-02T12:00:00Z',
      '--until',
      '2026-03-04T12:00:00Z',
    ])
    assert.deepEqual(
      jsonLines(window.data).map((line) => line.created),
      ['2026-03-02T12:00:00.000Z', '2026-03-03T12:00:00.000Z']
    )

    const both = await exportToStdout([
      '--org',
      host,
      '--meeting',
      '7001',
      '--since',
      '2026-03-03T00:00:00Z',
    ])
    assert.deepEqual(
      jsonLines(both.data).map((line) => line.id),
      [Number(entries[2].id)] // bigint ids arrive as strings from PostgreSQL
    )
  })

  test('--out writes the file (never a half-written one), with progress and the summary off standard output data', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    await givenEntries(organisation, 24)
    const file = join(scratch, 'out.jsonl')
    const sink = new PassThrough()
    let wroteToStdout = false
    sink.on('data', () => (wroteToStdout = true))

    const { command, stdout, stderr } = await runCommand(
      AuditExport,
      ['--org', host, '--out', file, '--batch-size', '5'],
      (cmd) => {
        cmd.stdout = sink
        cmd.progressEvery = 10
      }
    )
    command.assertSucceeded()
    assert.isFalse(wroteToStdout)
    assert.lengthOf(jsonLines(readFileSync(file, 'utf8')), 25)
    assert.isFalse(existsSync(`${file}.partial`))
    // Batches of 5 over 25 entries: progress after crossing 10 and 20.
    assert.deepEqual(stderr.split('\n'), [
      'audit:export: 10 of 25 entries',
      'audit:export: 20 of 25 entries',
    ])
    assert.include(stdout, `Exported 25 audit entries of "${organisation.title}" to ${file}`)
  })

  test('5,000 entries stream in keyset batches of --batch-size, complete and in order', async ({
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    await givenEntries(organisation, 4999) // + organisation.created = 5,000

    // Count the SELECTs on audit_entries the export issues.
    const selects: string[] = []
    const listener = (query: { sql: string }) => {
      if (/^select/i.test(query.sql) && query.sql.includes('audit_entries')) selects.push(query.sql)
    }
    const clients = new Set([db.connection().getReadClient(), db.connection().getWriteClient()])
    for (const client of clients) client.on('query', listener)
    let result: Awaited<ReturnType<typeof exportToStdout>>
    try {
      result = await exportToStdout(['--org', host, '--batch-size', '1000'])
    } finally {
      for (const client of clients) client.off('query', listener)
    }
    result.command.assertSucceeded()

    const lines = jsonLines(result.data)
    assert.lengthOf(lines, 5000)
    const ids = lines.map((line) => line.id as number)
    assert.isTrue(
      ids.every((id, i) => i === 0 || id > ids[i - 1]),
      'strictly increasing ids'
    )
    const [first, last] = await Promise.all([
      AuditEntry.forOrganisation(organisation.id).orderBy('id', 'asc').firstOrFail(),
      AuditEntry.forOrganisation(organisation.id).orderBy('id', 'desc').firstOrFail(),
    ])
    assert.equal(ids[0], Number(first.id))
    assert.equal(ids[4999], Number(last.id))
    assert.equal(lines[4999].changes.title[0], 'old 4998')

    // One query for the upper bound, then five keyset pages of at most 1,000 rows: never one big read.
    // Dialects differ: `id` and ? on SQLite, "id" and $n on PostgreSQL.
    const pages = selects.filter((sql) => /[`"]id[`"] > (\?|\$\d+)/.test(sql))
    assert.lengthOf(pages, 5)
    for (const sql of pages) assert.match(sql, /order by [`"]id[`"] asc limit (\?|\$\d+)/i)
    assert.lengthOf(selects, 6)
  }).timeout(120_000)

  test('clear one-line errors: unknown organisation, bad format, bad timestamps', async ({
    assert,
  }) => {
    const { host } = await givenOrganisation()
    const cases: Array<[string[], string]> = [
      [['--org', 'nowhere.invalid'], 'No organisation on host "nowhere.invalid"'],
      [['--org', host, '--format', 'xml'], '--format: Use jsonl or csv'],
      [
        ['--org', host, '--since', 'yesterday'],
        '--since: Not an ISO-8601 timestamp (for example 2026-05-04T12:30:00Z)',
      ],
      [
        ['--org', host, '--until', '2026-13-45T00:00:00Z'],
        'The until field must be an ISO-8601 timestamp',
      ],
    ]
    for (const [argv, message] of cases) {
      const { command, data, stderr } = await exportToStdout(argv)
      command.assertExitCode(1)
      assert.equal(stderr, `[ red(error) ] ${message}`)
      assert.equal(data, '')
    }
  })

  test('through `node ace`: standard output carries only the data', async ({ assert }) => {
    const { organisation, host } = await givenOrganisation()
    await givenEntries(organisation, 3)
    const run = spawnSync(
      join(ROOT, 'node_modules/.bin/node'),
      ['ace', 'audit:export', '--org', host],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'test' },
        timeout: 60_000,
      }
    )
    assert.equal(run.status, 0, run.stderr)
    const lines = jsonLines(run.stdout)
    assert.lengthOf(lines, 4)
    assert.deepEqual(
      lines.map((line) => line.organisation),
      [organisation.id, organisation.id, organisation.id, organisation.id]
    )

    const missing = spawnSync(
      join(ROOT, 'node_modules/.bin/node'),
      ['ace', 'audit:export', '--org', 'nowhere.invalid'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NODE_ENV: 'test' },
        timeout: 60_000,
      }
    )
    assert.equal(missing.status, 1)
    assert.equal(missing.stdout, '')
    assert.match(missing.stderr, /No organisation on host "nowhere.invalid"/)
    assert.notMatch(missing.stderr, /\n\s+at /, 'no stack trace')
  }).timeout(120_000)
})
