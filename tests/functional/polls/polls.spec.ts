import { test } from '@japa/runner'
import { createHash } from 'node:crypto'
import Proposal from '#models/proposal'
import Poll from '#models/poll'
import Vote from '#models/vote'
import AuditEntry from '#models/audit_entry'
import { verifyBundle } from '#domain/polls/bundle'
import { pollWorld, givenProposals } from '#tests/helpers/polls'
import { registerSink, type OutgoingMessage } from '#realtime/publish'

async function createPoll(
  client: any,
  world: Awaited<ReturnType<typeof pollWorld>>,
  body: Record<string, unknown>
) {
  return world
    .as(world.moderatorToken, client.post('/api/polls'))
    .json({ agenda_item: world.item.id, title: 'Poll', ...body })
}

test.group('Polls: create, start, vote, close', () => {
  test('a simple poll runs from creation to a finished, signed, recountable result', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const [proposal] = await givenProposals(world.item, 1)
    const created = await createPoll(client, world, {
      method_name: 'simple',
      proposals: [proposal.id],
      start: true,
    })
    assert.equal(created.status(), 201, JSON.stringify(created.body()))
    const poll = created.body()
    assert.equal(poll.state, 'ongoing')
    assert.equal(poll.total, 3)
    assert.equal(poll.voted, 0)
    assert.isNumber(poll.electoral_register)
    assert.equal(
      (await Proposal.findInOrganisation(world.organisation.id, proposal.id))!.state,
      'voting'
    )

    const first = await world
      .as(world.tokens[0], client.post('/api/votes'))
      .json({ poll: poll.id, vote: { choice: 'yes' } })
    first.assertStatus(201)
    assert.match(first.body().receipt, /^[0-9A-HJKMNP-TV-Z]{16}$/)
    assert.deepEqual(first.body().vote, { choice: 'yes' })
    const again = await world
      .as(world.tokens[0], client.post('/api/votes'))
      .json({ poll: poll.id, vote: { choice: 'no' } })
    again.assertStatus(200)
    assert.equal(again.body().id, first.body().id)
    await world
      .as(world.tokens[1], client.post('/api/votes'))
      .json({ poll: poll.id, vote: { choice: 'no' } })
      .then((r: any) => r.assertStatus(201))
    await world
      .as(world.tokens[2], client.post('/api/votes'))
      .json({ poll: poll.id, abstain: true })
      .then((r: any) => r.assertStatus(201))

    const status = await world.as(world.moderatorToken, client.get(`/api/polls/${poll.id}/status`))
    assert.deepInclude(status.body(), { voted: 3, total: 3, voted_weight: 3, total_weight: 3 })

    const closed = await world
      .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
      .json({ event: 'close' })
    closed.assertStatus(200)
    assert.equal(closed.body().state, 'finished')
    const result = closed.body().object
    assert.equal(result.result.no, 2)
    assert.equal(result.result.yes, 0)
    assert.deepEqual(result.result.denied, [proposal.id])
    assert.equal(result.abstain_count, 1)
    assert.equal(result.ballot_data, '{"no": 2}')
    assert.equal(result.ballot_checksum, createHash('sha512').update('{"no": 2}').digest('hex'))
    assert.equal(
      (await Proposal.findInOrganisation(world.organisation.id, proposal.id))!.state,
      'denied'
    )

    // Secret by default: no vote rows remain; the ballots are published and, in the
    // default inclusion mode of a secret poll, the receipt hashes apart from them.
    assert.lengthOf(await Vote.forOrganisation(world.organisation.id).where('poll_id', poll.id), 0)
    const ballots = await world.as(world.tokens[0], client.get(`/api/polls/${poll.id}/ballots`))
    ballots.assertStatus(200)
    assert.equal(ballots.body().receipt_mode, 'inclusion')
    assert.sameMembers(
      ballots.body().data.map((row: any) => row.vote_data),
      ['no', 'no', null]
    )
    const myHash = createHash('sha256').update(again.body().receipt).digest('hex')
    assert.include(ballots.body().receipt_hashes, myHash)
    // The first receipt was voided by the replacement.
    const oldHash = createHash('sha256').update(first.body().receipt).digest('hex')
    assert.notInclude(ballots.body().receipt_hashes, oldHash)

    const bundle = await world.as(world.tokens[1], client.get(`/api/polls/${poll.id}/bundle`))
    bundle.assertStatus(200)
    const key = await world.as(world.tokens[1], client.get('/api/organisation/signing-key'))
    const outcome = verifyBundle(bundle.body(), key.body().public_key)
    assert.deepEqual(outcome.problems, [])
    assert.include(bundle.body().receipt_hashes, myHash)

    // Audit entries never carry vote content.
    const entries = await AuditEntry.forOrganisation(world.organisation.id).where('model', 'Vote')
    assert.isAbove(entries.length, 0)
    for (const entry of entries) assert.notInclude(JSON.stringify(entry.changes), 'yes')
  })
})

test.group('Polls: refusals', () => {
  test('voters outside the register and votes after close are refused; payloads are validated', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const proposals = await givenProposals(world.item, 3)
    const created = await createPoll(client, world, {
      method_name: 'irv',
      proposals: proposals.map((p) => p.id),
      start: true,
    })
    created.assertStatus(201)
    const poll = created.body()
    const bad = await world
      .as(world.tokens[0], client.post('/api/votes'))
      .json({ poll: poll.id, vote: { ranking: [999] } })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'vote')
    const both = await world
      .as(world.tokens[0], client.post('/api/votes'))
      .json({ poll: poll.id, vote: { ranking: [proposals[0].id] }, abstain: true })
    both.assertStatus(422)
    const outsider = await world
      .as(world.moderatorToken, client.post('/api/votes'))
      .json({ poll: poll.id, abstain: true })
    outsider.assertStatus(403)
    await world
      .as(world.tokens[0], client.post('/api/votes'))
      .json({ poll: poll.id, vote: { ranking: [proposals[1].id, proposals[0].id] } })
      .then((r: any) => r.assertStatus(201))
    await world
      .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
      .json({ event: 'close' })
      .then((r: any) => r.assertStatus(200))
    const late = await world
      .as(world.tokens[1], client.post('/api/votes'))
      .json({ poll: poll.id, vote: { ranking: [proposals[0].id] } })
    late.assertStatus(403)
    const stored = await Poll.findInOrganisation(world.organisation.id, poll.id)
    assert.equal(stored!.state, 'finished')
    assert.deepEqual(stored!.result!.approved, [proposals[1].id])
    assert.isString((stored!.countDocument as any).seed)
  })
})

test.group('Polls: edit, delete, methods', () => {
  test('a private poll is edited (settings re-validated, proposals replaced) and deleted; an ongoing one cannot be deleted', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 3)
    const created = await createPoll(client, world, {
      method_name: 'scottish_stv',
      settings: { winners: 1 },
      proposals: [proposals[0].id, proposals[1].id],
    })
    const id = created.body().id
    const bad = await world
      .as(world.moderatorToken, client.patch(`/api/polls/${id}`))
      .json({ settings: { winners: 0 } })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'settings.winners')
    const changed = await world.as(world.moderatorToken, client.patch(`/api/polls/${id}`)).json({
      title: 'Renamed',
      settings: { winners: 2 },
      proposals: proposals.map((p) => p.id),
      secret: false,
    })
    changed.assertStatus(200)
    assert.deepInclude(changed.body(), {
      title: 'Renamed',
      secret: false,
      proposals: proposals.map((p) => p.id),
    })
    assert.deepEqual(changed.body().settings, { winners: 2, allow_random: true })
    const foreign = await world
      .as(world.moderatorToken, client.patch(`/api/polls/${id}`))
      .json({ proposals: [999999] })
    foreign.assertStatus(422)
    ;(await world.as(world.moderatorToken, client.delete(`/api/polls/${id}`))).assertStatus(204)
    assert.isNull(await Poll.findInOrganisation(world.organisation.id, id))

    const running = await createPoll(client, world, {
      method_name: 'simple',
      proposals: [proposals[0].id],
      start: true,
    })
    const refused = await world.as(
      world.moderatorToken,
      client.delete(`/api/polls/${running.body().id}`)
    )
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'poll.ongoing')
  })

  test('GET /api/poll-methods lists the methods a poll may use', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 1 })
    const response = await world.as(world.tokens[0], client.get('/api/poll-methods'))
    const names = response.body().data.map((m: any) => m.name)
    assert.includeMembers(names, [
      'simple',
      'combined_simple',
      'majority',
      'dutt',
      'schulze',
      'repeated_schulze',
      'scottish_stv',
      'irv',
      'repeated_irv',
    ])
    assert.notInclude(names, 'cpo_stv')
  })
})

test.group('Polls: live turnout over realtime', () => {
  test('a first cast schedules one throttled poll.status on the meeting and poll channels', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const [proposal] = await givenProposals(world.item, 1)
    const created = await createPoll(client, world, {
      method_name: 'simple',
      proposals: [proposal.id],
      start: true,
    })
    const pollId = created.body().id
    const messages: OutgoingMessage[] = []
    const stop = registerSink((batch) => void messages.push(...batch))
    try {
      await world
        .as(world.tokens[0], client.post('/api/votes'))
        .json({ poll: pollId, vote: { choice: 'yes' } })
      await world
        .as(world.tokens[1], client.post('/api/votes'))
        .json({ poll: pollId, abstain: true })
      // The scheduler publishes at most once per throttle period (2 s by default) with fresh numbers.
      const deadline = Date.now() + 8000
      while (Date.now() < deadline) {
        if (messages.some((m: any) => m.type === 'poll.status' && m.data.voted === 2)) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    } finally {
      stop()
    }
    const statuses = messages.filter((m) => m.type === 'poll.status')
    assert.isAbove(statuses.length, 0)
    const last = statuses.filter((m) => m.channel === `meetings/${world.meeting.id}`).at(-1)!
    assert.deepEqual(last.data, {
      id: pollId,
      meeting: world.meeting.id,
      voted: 2,
      total: 2,
      voted_weight: 2,
      total_weight: 2,
    })
    assert.isTrue(
      statuses.some((m) => m.channel === `meetings/${world.meeting.id}/polls/${pollId}`)
    )
    // Never any vote content on shared channels.
    for (const message of messages.filter((m) => !m.channel.startsWith('users/')))
      assert.notInclude(JSON.stringify(message.data), '"vote"')
  }).timeout(20_000)
})
