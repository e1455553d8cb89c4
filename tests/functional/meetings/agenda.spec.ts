import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import {
  capturePublished,
  givenAgendaItem,
  givenMeeting,
  givenRoles,
  reloadItem,
} from '#tests/helpers/meetings'
import type { ApiClient } from '@japa/api-client'

async function setup(
  client: ApiClient,
  state: 'upcoming' | 'ongoing' | 'closed' | 'archiving' = 'ongoing'
) {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation)
  const pia = await givenUser(organisation)
  const meeting = await givenMeeting(organisation, { moderator: mia, state })
  await givenRoles(meeting, pia, ['pa'])
  const mod = await loginBrowser(client, host, mia)
  const participant = await loginBrowser(client, host, pia)
  return { organisation, host, mia, pia, meeting, mod, participant }
}

test.group('Agenda | items, events, order, read marks (domain §8)', () => {
  test('events over HTTP: make_ongoing then close; the response carries state, events and object', async ({
    client,
    assert,
  }) => {
    const { meeting, mod, organisation } = await setup(client)
    const item = await givenAgendaItem(meeting, 'upcoming')
    const started = await asBrowser(client.post(`/api/agenda-items/${item.id}/event`), mod).json({
      event: 'make_ongoing',
    })
    started.assertStatus(200)
    assert.equal(started.body().state, 'ongoing')
    assert.equal(started.body().object.state, 'ongoing')
    assert.property(started.body().object, 'body')
    assert.sameMembers(
      started.body().events.map((event: { name: string }) => event.name),
      ['make_upcoming', 'unpublish', 'close']
    )
    const closed = await asBrowser(client.post(`/api/agenda-items/${item.id}/event`), mod).json({
      event: 'close',
    })
    closed.assertStatus(200)
    const entries = await AuditEntry.forOrganisation(organisation.id)
      .where('agenda_item_id', item.id)
      .orderBy('id')
    assert.includeMembers(
      entries.map((entry) => entry.event),
      ['agenda_item.make_ongoing', 'agenda_item.close']
    )
    const archive = await asBrowser(client.post(`/api/agenda-items/${item.id}/event`), mod).json({
      event: 'archive',
    })
    archive.assertStatus(422)
    assert.equal((await reloadItem(item))!.state, 'closed')
  })

  test('create: ordered last, tags from the body, payload shape; invalid input names the field', async ({
    client,
    assert,
  }) => {
    const { meeting, mod, organisation } = await setup(client)
    await givenAgendaItem(meeting)
    const created = await asBrowser(client.post('/api/agenda-items'), mod).json({
      meeting: meeting.id,
      title: 'Budget',
      body: '<p>See <span class="mention" data-denotation-char="#" data-value="Money">#Money</span> and #plans</p>',
      tags: ['extra'],
      block_proposals: true,
    })
    created.assertStatus(201)
    assert.containsSubset(created.body(), {
      meeting: meeting.id,
      title: 'Budget',
      state: 'private',
      order: 2,
      tags: ['money', 'plans', 'extra'],
      block_proposals: true,
      block_discussion: false,
      related_modified: null,
      rev: 1,
    })
    const before = await AuditEntry.forOrganisation(organisation.id).count('* as total')
    for (const [body, field] of [
      [{ meeting: meeting.id }, 'title'],
      [{ meeting: meeting.id, title: 'x'.repeat(101) }, 'title'],
      [{ title: 'x' }, 'meeting'],
      [{ meeting: 999999, title: 'x' }, 'meeting'],
      [{ meeting: meeting.id, title: 'x', tags: 'a' }, 'tags'],
    ] as Array<[object, string]>) {
      const response = await asBrowser(client.post('/api/agenda-items'), mod).json(body)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field)
    }
    const after = await AuditEntry.forOrganisation(organisation.id).count('* as total')
    assert.equal(after[0].$extras.total, before[0].$extras.total)
  })

  test('agenda order: listed items first in the given order, foreign ids refused', async ({
    client,
    assert,
  }) => {
    const { meeting, mod, organisation } = await setup(client)
    const [a, b, c] = [
      await givenAgendaItem(meeting),
      await givenAgendaItem(meeting),
      await givenAgendaItem(meeting),
    ]
    const otherMeeting = await givenMeeting(organisation)
    const foreign = await givenAgendaItem(otherMeeting)
    const refused = await asBrowser(
      client.post(`/api/meetings/${meeting.id}/agenda-order`),
      mod
    ).json({ order: [c.id, foreign.id] })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'order.1')
    const duplicate = await asBrowser(
      client.post(`/api/meetings/${meeting.id}/agenda-order`),
      mod
    ).json({ order: [c.id, c.id] })
    duplicate.assertStatus(422)
    ;(
      await asBrowser(client.post(`/api/meetings/${meeting.id}/agenda-order`), mod).json({
        order: [c.id],
      })
    ).assertStatus(204)
    const list = await asBrowser(client.get(`/api/agenda-items?meeting=${meeting.id}`), mod)
    assert.deepEqual(
      list.body().data.map((item: { id: number; order: number }) => [item.id, item.order]),
      [
        [c.id, 1],
        [a.id, 2],
        [b.id, 3],
      ]
    )
  })

  test('list filters by state; participants never see private items', async ({
    client,
    assert,
  }) => {
    const { meeting, mod, participant } = await setup(client)
    const hidden = await givenAgendaItem(meeting, 'private')
    const shown = await givenAgendaItem(meeting, 'upcoming')
    const ongoing = await givenAgendaItem(meeting, 'ongoing')
    const modList = await asBrowser(
      client.get(`/api/agenda-items?meeting=${meeting.id}&state=private,ongoing`),
      mod
    )
    assert.deepEqual(
      modList.body().data.map((item: { id: number }) => item.id),
      [hidden.id, ongoing.id]
    )
    const piaList = await asBrowser(
      client.get(`/api/agenda-items?meeting=${meeting.id}`),
      participant
    )
    assert.deepEqual(
      piaList.body().data.map((item: { id: number }) => item.id),
      [shown.id, ongoing.id]
    )
    assert.notProperty(piaList.body().data[0], 'body')
    const bad = await asBrowser(
      client.get(`/api/agenda-items?meeting=${meeting.id}&state=done`),
      mod
    )
    bad.assertStatus(422)
  })

  test('bulk change applies flags to every listed item, skips illegal transitions, caps at 250 ids', async ({
    client,
    assert,
  }) => {
    const { meeting, mod } = await setup(client, 'upcoming')
    const a = await givenAgendaItem(meeting, 'private')
    const b = await givenAgendaItem(meeting, 'upcoming')
    // closing is unavailable while the meeting is upcoming: only flags change
    const response = await asBrowser(client.post('/api/agenda-items/bulk-change'), mod).json({
      meeting: meeting.id,
      agenda_items: [a.id, b.id],
      state: 'closed',
      block_discussion: true,
    })
    response.assertStatus(200)
    assert.deepEqual(response.body(), { changed: 2 })
    assert.equal((await reloadItem(a))!.state, 'private')
    assert.isTrue((await reloadItem(b))!.blockDiscussion)
    const tooMany = await asBrowser(client.post('/api/agenda-items/bulk-change'), mod).json({
      meeting: meeting.id,
      agenda_items: Array.from({ length: 251 }, (_, index) => index + 1),
      state: 'upcoming',
    })
    tooMany.assertStatus(422)
    assert.equal(tooMany.body().errors[0].field, 'agenda_items')
    const badState = await asBrowser(client.post('/api/agenda-items/bulk-change'), mod).json({
      meeting: meeting.id,
      agenda_items: [a.id],
      state: 'archived',
    })
    badState.assertStatus(422)
    const unknown = await asBrowser(client.post('/api/agenda-items/bulk-change'), mod).json({
      meeting: meeting.id,
      agenda_items: [a.id, 999999],
      state: 'upcoming',
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'agenda_items.1')
    assert.equal((await reloadItem(a))!.state, 'private')
  })

  test('delete one item (204) and bulk delete in an upcoming meeting; archived items stay', async ({
    client,
    assert,
  }) => {
    const { meeting, mod } = await setup(client, 'upcoming')
    const a = await givenAgendaItem(meeting)
    const b = await givenAgendaItem(meeting)
    const c = await givenAgendaItem(meeting)
    const { result, messages } = await capturePublished(() =>
      asBrowser(client.delete(`/api/agenda-items/${a.id}`), mod)
    )
    result.assertStatus(204)
    assert.deepEqual(
      messages.map((message) => `${message.channel} ${message.type}`),
      [`meetings/${meeting.id}/moderators agenda_item.deleted`]
    )
    ;(await asBrowser(client.delete(`/api/agenda-items/${a.id}`), mod)).assertStatus(404)
    const bulk = await asBrowser(client.post('/api/agenda-items/bulk-delete'), mod).json({
      meeting: meeting.id,
      agenda_items: [b.id, c.id],
    })
    assert.deepEqual(bulk.body(), { deleted: 2 })
  })

  test('an archived item cannot be changed or deleted', async ({ client }) => {
    const { meeting, mod } = await setup(client)
    const item = await givenAgendaItem(meeting, 'archived')
    ;(
      await asBrowser(client.patch(`/api/agenda-items/${item.id}`), mod).json({ title: 'x' })
    ).assertStatus(403)
    ;(await asBrowser(client.delete(`/api/agenda-items/${item.id}`), mod)).assertStatus(403)
  })

  test('mark as read: own rows only, pushed to the user channel, private items hidden from last-read', async ({
    client,
    assert,
  }) => {
    const { meeting, mod, participant, pia } = await setup(client)
    const item = await givenAgendaItem(meeting, 'upcoming')
    const { result, messages } = await capturePublished(() =>
      asBrowser(client.post(`/api/agenda-items/${item.id}/mark-read`), participant)
    )
    result.assertStatus(200)
    assert.deepEqual(Object.keys(result.body()).sort(), ['agenda_item', 'meeting', 'timestamp'])
    assert.deepEqual(
      messages.map((message) => `${message.channel} ${message.type}`),
      [`users/${pia.id} last_read.changed`]
    )
    const again = await asBrowser(
      client.post(`/api/agenda-items/${item.id}/mark-read`),
      participant
    )
    assert.isAtLeast(Date.parse(again.body().timestamp), Date.parse(result.body().timestamp))
    const own = await asBrowser(client.get(`/api/last-read?meeting=${meeting.id}`), participant)
    assert.deepEqual(
      own.body().data.map((row: { agenda_item: number }) => row.agenda_item),
      [item.id]
    )
    const moderatorRows = await asBrowser(client.get(`/api/last-read?meeting=${meeting.id}`), mod)
    assert.deepEqual(moderatorRows.body().data, [])
    await asBrowser(client.post(`/api/agenda-items/${item.id}/event`), mod).json({
      event: 'unpublish',
    })
    const hidden = await asBrowser(client.get(`/api/last-read?meeting=${meeting.id}`), participant)
    assert.deepEqual(hidden.body().data, [])
  })
})
