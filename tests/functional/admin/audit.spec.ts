import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { recordAudit, systemActor } from '#services/audit_log'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { loginAdmin, visit } from '#tests/helpers/admin'
import type Organisation from '#models/organisation'
import type User from '#models/user'

/** Entries written through the audit service, with a chosen time where the test needs one. */
async function givenEntry(
  organisation: Organisation,
  entry: {
    event: string
    model: string
    action?: 'create' | 'update'
    actor?: User
    meetingId?: number
    objectId?: number
    at?: string
  }
) {
  const row = await db.transaction((trx) =>
    recordAudit(trx, entry.actor ? { userId: entry.actor.id, source: 'api' } : systemActor('cli'), {
      organisationId: organisation.id,
      meetingId: entry.meetingId,
      action: entry.action ?? 'update',
      event: entry.event,
      model: entry.model,
      objectId: entry.objectId ?? 1,
      changes: { note: [null, entry.event] },
    })
  )
  if (entry.at) {
    const at = DateTime.fromISO(entry.at, { zone: 'utc' }).toFormat(
      db.connection().dialect.dateTimeFormat
    )
    await db.from('audit_entries').where('id', row.id).update({ created_at: at })
  }
  return row
}

/** The event codes of the table rows, top to bottom. */
function eventsIn(html: string): string[] {
  const body = html.split('<tbody>')[1]?.split('</tbody>')[0] ?? ''
  return [...body.matchAll(/<td><code>([a-z0-9_.]+)<\/code><br>/g)].map((match) => match[1])
}

test.group('Admin | audit log', () => {
  test('lists entries newest first with compact JSON changes and the actor', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'], firstName: 'Auditor' })
    await givenEntry(organisation, { event: 'thing.first', model: 'Thing' })
    await givenEntry(organisation, { event: 'thing.second', model: 'Thing', actor: manager })
    const browser = await loginAdmin(client, host, manager)
    const response = await visit(browser, '/admin/audit?model=Thing')
    response.assertStatus(200)
    const html = response.text()
    assert.deepEqual(eventsIn(html), ['thing.second', 'thing.first'])
    // One compact JSON line per changed field, the whole JSON on hover.
    assert.include(html, 'title="{&quot;note&quot;:[null,&quot;thing.second&quot;]}"')
    assert.match(
      html,
      /<span class="change-field">note<\/span>\s*<code>null<\/code> <span class="muted">→<\/span>\s*<code>&quot;thing.second&quot;<\/code>/
    )
    assert.include(html, `href="/admin/audit?actor=${manager.id}"`)
    assert.include(html, 'Auditor User')
  })

  test('filters by model, event, action, actor and meeting', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const actor = await givenUser(organisation)
    await givenEntry(organisation, { event: 'a.created', model: 'Alpha', action: 'create' })
    await givenEntry(organisation, { event: 'a.updated', model: 'Alpha', actor })
    await givenEntry(organisation, { event: 'b.updated', model: 'Beta', meetingId: 7 })
    const browser = await loginAdmin(client, host, manager)

    const only = async (query: string) =>
      eventsIn((await visit(browser, `/admin/audit?${query}`)).text())
    assert.deepEqual(await only('model=Alpha'), ['a.updated', 'a.created'])
    assert.deepEqual(await only('event=b.updated'), ['b.updated'])
    assert.deepEqual(await only('model=Alpha&action=create'), ['a.created'])
    assert.deepEqual(await only(`actor=${actor.id}`), ['a.updated'])
    assert.deepEqual(await only('meeting=7'), ['b.updated'])
    // Empty fields of the GET form are ignored.
    assert.deepEqual(await only('model=Beta&event=&action=&actor=&meeting=&since=&until='), [
      'b.updated',
    ])

    // The selects offer the values present in this organisation's log.
    const html = (await visit(browser, '/admin/audit')).text()
    assert.include(html, '<option value="Alpha" >Alpha</option>')
    assert.include(html, '<option value="Beta" >Beta</option>')
  })

  test('filters by since and until (UTC, until exclusive)', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    await givenEntry(organisation, { event: 'e.jan', model: 'Timed', at: '2026-01-10T12:00:00' })
    await givenEntry(organisation, { event: 'e.feb', model: 'Timed', at: '2026-02-10T12:00:00' })
    await givenEntry(organisation, { event: 'e.mar', model: 'Timed', at: '2026-03-10T12:00:00' })
    const browser = await loginAdmin(client, host, manager)
    const only = async (query: string) =>
      eventsIn((await visit(browser, `/admin/audit?model=Timed&${query}`)).text())
    // The datetime-local inputs submit "YYYY-MM-DDTHH:mm".
    assert.deepEqual(await only('since=2026-02-01T00:00'), ['e.mar', 'e.feb'])
    assert.deepEqual(await only('until=2026-02-10T12:00'), ['e.jan'])
    assert.deepEqual(await only('since=2026-02-01T00:00&until=2026-03-01T00:00'), ['e.feb'])
  })

  test('a bad filter is shown next to its field, with no results and no redirect', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    await givenEntry(organisation, { event: 'x.updated', model: 'X' })
    const browser = await loginAdmin(client, host, manager)
    const response = await visit(browser, '/admin/audit?since=yesterday&actor=abc')
    response.assertStatus(200)
    const html = response.text()
    assert.match(html, /class="field has-error">\s*<label for="field-since">/)
    assert.match(html, /class="field has-error">\s*<label for="field-actor">/)
    assert.include(html, 'Correct the filters above.')
    assert.deepEqual(eventsIn(html), [])
  })

  test('pages newest first and keeps the filters in the page links', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    for (let i = 0; i < 55; i++)
      await givenEntry(organisation, { event: `p.e${String(i).padStart(2, '0')}`, model: 'Paged' })
    const browser = await loginAdmin(client, host, manager)
    const first = (await visit(browser, '/admin/audit?model=Paged')).text()
    assert.include(first, '1–50 of 55')
    assert.equal(eventsIn(first)[0], 'p.e54')
    assert.include(first, 'href="/admin/audit?model=Paged&amp;page=2"')
    const second = eventsIn((await visit(browser, '/admin/audit?model=Paged&page=2')).text())
    assert.deepEqual(second, ['p.e04', 'p.e03', 'p.e02', 'p.e01', 'p.e00'])
  })

  test('only shows the entries of the host organisation', async ({ client, assert }) => {
    const a = await givenOrganisation()
    const b = await givenOrganisation()
    await givenEntry(b.organisation, { event: 'other.org', model: 'Secret' })
    const browser = await loginAdmin(
      client,
      a.host,
      await givenUser(a.organisation, { roles: ['org_manager'] })
    )
    const html = (await visit(browser, '/admin/audit')).text()
    assert.notInclude(html, 'other.org')
    assert.notInclude(html, 'Secret')
  })
})
