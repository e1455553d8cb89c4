import { test } from '@japa/runner'
import AgendaItem from '#models/agenda_item'
import AuditEntry from '#models/audit_entry'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import {
  givenAgendaItem,
  givenMeeting,
  givenRoles,
  moveMeetingTo,
  reloadItem,
} from '#tests/helpers/meetings'
import { loginAdmin, submit, visit } from '#tests/helpers/admin'

async function agendaWorld(client: Parameters<typeof loginAdmin>[0]) {
  const { organisation, host } = await givenOrganisation('Agenda Admin Org')
  const moderator = await givenUser(organisation)
  const meeting = await givenMeeting(organisation, { moderator })
  const items = [
    await givenAgendaItem(meeting, 'private', 'Alpha'),
    await givenAgendaItem(meeting, 'private', 'Bravo'),
    await givenAgendaItem(meeting, 'private', 'Charlie'),
  ]
  const browser = await loginAdmin(client, host, moderator)
  return { organisation, host, meeting, items, browser }
}

async function titlesInOrder(meetingId: number, organisationId: number) {
  const rows = await AgendaItem.forOrganisation(organisationId)
    .where('meeting_id', meetingId)
    .orderBy('order')
  return rows.map((row) => row.title)
}

test.group('Admin | agenda editor', () => {
  test('up/down buttons and the numeric position reorder the agenda and persist', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting, items, browser } = await agendaWorld(client)
    const page = (await visit(browser, `/admin/meetings/${meeting.id}/agenda`)).text()
    // Shown in order; the first item cannot go up, the last cannot go down.
    assert.isBelow(page.indexOf('Alpha'), page.indexOf('Bravo'))
    assert.isBelow(page.indexOf('Bravo'), page.indexOf('Charlie'))

    const base = `/admin/meetings/${meeting.id}/agenda`
    ;(await submit(browser, `${base}/${items[2].id}/move`, { direction: 'up' })).assertStatus(302)
    assert.deepEqual(await titlesInOrder(meeting.id, organisation.id), [
      'Alpha',
      'Charlie',
      'Bravo',
    ])

    await submit(browser, `${base}/${items[0].id}/move`, { direction: 'down' })
    assert.deepEqual(await titlesInOrder(meeting.id, organisation.id), [
      'Charlie',
      'Alpha',
      'Bravo',
    ])

    // Up on the first item is a no-op, not an error.
    await submit(browser, `${base}/${items[2].id}/move`, { direction: 'up' })
    assert.deepEqual(await titlesInOrder(meeting.id, organisation.id), [
      'Charlie',
      'Alpha',
      'Bravo',
    ])

    // Numeric position, clamped to the list length.
    await submit(browser, `${base}/${items[2].id}/move`, { position: '99' })
    assert.deepEqual(await titlesInOrder(meeting.id, organisation.id), [
      'Alpha',
      'Bravo',
      'Charlie',
    ])
    await submit(browser, `${base}/${items[1].id}/move`, { position: '1' })
    assert.deepEqual(await titlesInOrder(meeting.id, organisation.id), [
      'Bravo',
      'Alpha',
      'Charlie',
    ])

    const after = (await visit(browser, base)).text()
    assert.isBelow(after.indexOf('Bravo'), after.indexOf('Alpha'))
    const audited = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('source', 'admin')
      .where('model', 'AgendaItem')
    assert.isAbove(audited.length, 0)
  })

  test('creates and edits items, fires a transition and a bulk state change', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting, items, browser } = await agendaWorld(client)
    const base = `/admin/meetings/${meeting.id}/agenda`
    await visit(browser, base)
    await submit(browser, base, { title: 'Delta', tags: 'budget, votes', block_proposals: '1' })
    let delta = await AgendaItem.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('title', 'Delta')
      .firstOrFail()
    assert.equal(delta.state, 'private')
    assert.deepEqual(delta.tags, ['budget', 'votes'])
    assert.isTrue(delta.blockProposals)

    ;(await visit(browser, `${base}/${delta.id}`)).assertStatus(200)
    await submit(browser, `${base}/${delta.id}`, { title: 'Delta renamed', tags: 'budget' })
    delta = (await reloadItem(delta))!
    assert.equal(delta.title, 'Delta renamed')
    assert.isFalse(delta.blockProposals)

    const page = (await visit(browser, base)).text()
    assert.include(page, 'name="event" value="make_upcoming"')
    await submit(browser, `${base}/${items[0].id}/event`, { event: 'make_upcoming' })
    items[0] = (await reloadItem(items[0]))!
    assert.equal(items[0].state, 'upcoming')

    await submit(browser, `${base}/bulk`, {
      'items[0]': String(items[1].id),
      'items[1]': String(items[2].id),
      'state': 'upcoming',
    })
    items[1] = (await reloadItem(items[1]))!
    items[2] = (await reloadItem(items[2]))!
    assert.equal(items[1].state, 'upcoming')
    assert.equal(items[2].state, 'upcoming')
  })

  test('a plain participant can neither see nor reorder the agenda editor', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, items } = await agendaWorld(client)
    await moveMeetingTo(meeting, 'ongoing')
    const member = await givenUser(organisation)
    await givenRoles(meeting, member, ['pa'])
    const browser = await loginAdmin(client, host, member)
    ;(await visit(browser, `/admin/meetings/${meeting.id}/agenda`)).assertStatus(403)
    const refused = await submit(
      browser,
      `/admin/meetings/${meeting.id}/agenda/${items[2].id}/move`,
      { direction: 'up' }
    )
    refused.assertStatus(302)
    assert.deepEqual(await titlesInOrder(meeting.id, organisation.id), [
      'Alpha',
      'Bravo',
      'Charlie',
    ])
  })
})
