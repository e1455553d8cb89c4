import { test } from '@japa/runner'
import Poll from '#models/poll'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'
import { givenUser } from '#tests/helpers/world'
import { givenRoles } from '#tests/helpers/meetings'
import { givenProposals, pollWorld } from '#tests/helpers/polls'

test.group('Admin: poll screens', () => {
  test('a moderator creates and starts an STV poll, follows turnout, closes it and reads the rounds table', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const proposals = await givenProposals(world.item, 3)
    const browser = await loginAdmin(client, world.host, world.moderator)
    const index = await visit(browser, '/admin/polls')
    assert.include(index.text(), `/admin/polls/meetings/${world.meeting.id}`)
    const page = await visit(browser, `/admin/polls/meetings/${world.meeting.id}`)
    assert.include(page.text(), 'New poll')
    const created = await browser.client
      .post(`/admin/polls/meetings/${world.meeting.id}`)
      .header('host', browser.host)
      .header('cookie', browser.cookie)
      .header('accept', 'text/html')
      .header('referer', `http://${browser.host}${browser.page}`)
      .form(
        `_csrf=${encodeURIComponent(browser.csrf!)}&agenda_item=${world.item.id}&title=Board&method_name=scottish_stv&settings=${encodeURIComponent('{"winners": 1}')}` +
          proposals.map((p) => `&proposals[]=${p.id}`).join('') +
          '&secret=1&start=1'
      )
      .redirects(0)
    assert.equal(created.status(), 302, created.text().slice(0, 300))
    const location = redirectedTo(created)!
    const pollId = Number(/\/admin\/polls\/(\d+)/.exec(location)![1])
    assert.equal((await Poll.findInOrganisation(world.organisation.id, pollId))!.state, 'ongoing')
    for (const [i, token] of world.tokens.entries()) {
      await world
        .as(token, client.post('/api/votes'))
        .json({ poll: pollId, vote: { ranking: [proposals[i === 2 ? 1 : 0].id, proposals[2].id] } })
    }
    const running = await visit(browser, `/admin/polls/${pollId}`)
    assert.include(running.text(), '3 of 3 voters')
    const closed = await submit(browser, `/admin/polls/${pollId}/event`, { event: 'close' })
    assert.equal(closed.status(), 302)
    const result = await visit(browser, `/admin/polls/${pollId}`)
    assert.include(result.text(), 'Rounds')
    assert.include(result.text(), `#${proposals[0].propId}`)
    assert.include(result.text(), `/api/polls/${pollId}/bundle`)
    assert.equal((await Poll.findInOrganisation(world.organisation.id, pollId))!.state, 'finished')
  })

  test('a moderator edits a private poll (settings checked by the library) and cancels a started one', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 3)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Draft',
      method_name: 'scottish_stv',
      settings: { winners: 1 },
      proposals: proposals.map((p) => p.id),
    })
    const id = created.body().id
    const browser = await loginAdmin(client, world.host, world.moderator)
    await visit(browser, `/admin/polls/${id}`)
    const bad = await submit(browser, `/admin/polls/${id}`, {
      title: 'Draft',
      settings: '{"winners": 0}',
    })
    assert.equal(bad.status(), 302)
    assert.equal((await Poll.findInOrganisation(world.organisation.id, id))!.title, 'Draft')
    await visit(browser, `/admin/polls/${id}`)
    const saved = await submit(browser, `/admin/polls/${id}`, {
      title: 'Board 2027',
      settings: '{"winners": 2}',
      close_at: '2030-01-01T12:00',
      secret: '1',
    })
    assert.equal(saved.status(), 302)
    const stored = await Poll.findInOrganisation(world.organisation.id, id)
    assert.equal(stored!.title, 'Board 2027')
    assert.deepEqual(stored!.settings, { winners: 2, allow_random: true })
    assert.equal(stored!.closeAt!.toUTC().toISO(), '2030-01-01T12:00:00.000Z')
    await visit(browser, `/admin/polls/${id}`)
    assert.equal(
      (await submit(browser, `/admin/polls/${id}/event`, { event: 'make_ongoing' })).status(),
      302
    )
    await visit(browser, `/admin/polls/${id}`)
    assert.equal(
      (await submit(browser, `/admin/polls/${id}/event`, { event: 'cancel' })).status(),
      302
    )
    assert.equal((await Poll.findInOrganisation(world.organisation.id, id))!.state, 'canceled')
  })

  test("participants who do not moderate get a 404 for a meeting's poll screens", async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const participant = await givenUser(world.organisation)
    await givenRoles(world.meeting, participant, ['pa'])
    const browser = await loginAdmin(client, world.host, participant)
    const response = await visit(browser, `/admin/polls/meetings/${world.meeting.id}`)
    assert.notEqual(response.status(), 200)
    const list = await visit(browser, '/admin/polls')
    assert.notInclude(list.text(), `/admin/polls/meetings/${world.meeting.id}`)
  })
})
