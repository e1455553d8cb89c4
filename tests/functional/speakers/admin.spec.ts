import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import SpeakerList from '#models/speaker_list'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'
import { call, givenRunningList, givenSpeakerWorld } from '#tests/helpers/speakers'

test.group('Speakers | admin screens', () => {
  test('a moderator runs a list from the admin screens; every change is audited with source admin', async ({
    client,
    assert,
  }) => {
    const world = await givenSpeakerWorld(client)
    const { systemId, listId } = await givenRunningList(client, world)
    await call(client, world, world.dan, 'post', `/api/speaker-lists/${listId}/enter`)
    const browser = await loginAdmin(client, world.host, world.mia)

    let page = await visit(browser, '/admin/speakers')
    page.assertStatus(200)
    assert.include(page.text(), `/admin/speakers/systems/${systemId}`)

    page = await visit(browser, `/admin/speakers/systems/${systemId}`)
    page.assertStatus(200)
    assert.include(page.text(), 'Main list')
    assert.include(page.text(), 'Dan User')

    const turnId = (
      await call(client, world, world.mia, 'get', `/api/speakers?speaker_list=${listId}`)
    ).body().data[0].id
    let response = await submit(browser, `/admin/speakers/turns/${turnId}`, { action: 'start' })
    assert.equal(redirectedTo(response), `/admin/speakers/systems/${systemId}`)
    page = await visit(browser, `/admin/speakers/systems/${systemId}`)
    assert.include(page.text(), 'speaking')
    response = await submit(browser, `/admin/speakers/turns/${turnId}`, { action: 'stop' })
    assert.equal(redirectedTo(response), `/admin/speakers/systems/${systemId}`)

    // "Next speaker" starts the first waiting turn.
    await call(client, world, world.eve, 'post', `/api/speaker-lists/${listId}/enter`)
    page = await visit(browser, `/admin/speakers/systems/${systemId}`)
    assert.include(page.text(), 'Next speaker')
    await submit(browser, `/admin/speakers/lists/${listId}/next`, {})
    const current = (
      await call(client, world, world.mia, 'get', `/api/speaker-lists/${listId}`)
    ).body()
    assert.equal(current.current, world.eve.id)
    await submit(browser, `/admin/speakers/turns/${current.current_speaker}`, { action: 'stop' })

    await visit(browser, `/admin/speakers/systems/${systemId}`)
    await submit(browser, '/admin/speakers/lists', {
      speaker_system: String(systemId),
      title: 'Second list',
      agenda_item: '',
    })
    const lists = await SpeakerList.forOrganisation(world.organisation.id)
      .where('speaker_system_id', systemId)
      .orderBy('id')
    assert.deepEqual(
      lists.map((list) => list.title),
      ['Main list', 'Second list']
    )
    await submit(browser, `/admin/speakers/lists/${listId}/event`, { event: 'close' })
    assert.equal(
      (await SpeakerList.findInOrganisation(world.organisation.id, listId))!.state,
      'closed'
    )

    page = await visit(browser, `/admin/speakers/systems/${systemId}`)
    assert.include(page.text(), 'History')
    const sources = (
      await AuditEntry.forOrganisation(world.organisation.id).whereIn('event', [
        'speaker.started',
        'speaker_list.created',
        'speaker_list.close',
      ])
    ).map((entry) => `${entry.event}:${entry.source}`)
    assert.includeMembers(sources, ['speaker.started:admin', 'speaker_list.close:admin'])
  })

  test('a participant cannot run lists from the admin screens', async ({ client, assert }) => {
    const world = await givenSpeakerWorld(client)
    const { systemId, listId } = await givenRunningList(client, world)
    const browser = await loginAdmin(client, world.host, world.dan)
    const page = await visit(browser, `/admin/speakers/systems/${systemId}`)
    page.assertStatus(200)
    assert.notInclude(page.text(), 'Add list')
    await visit(browser, '/admin/speakers')
    await visit(browser, `/admin/speakers/systems/${systemId}`)
    const response = await submit(browser, `/admin/speakers/lists/${listId}/shuffle`, {})
    assert.equal(response.status(), 302)
    assert.equal(
      (
        await AuditEntry.forOrganisation(world.organisation.id).where(
          'event',
          'speaker_list.shuffled'
        )
      ).length,
      0
    )
    // Outsiders: not found.
    const outsider = await loginAdmin(client, world.host, world.outsider)
    ;(await visit(outsider, `/admin/speakers/systems/${systemId}`)).assertStatus(404)
  })
})
