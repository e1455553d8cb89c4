import { test } from '@japa/runner'
import Proposal from '#models/proposal'
import { givenProposals, pollWorld, tokenFor, type PollWorld } from '#tests/helpers/polls'
import { givenUser } from '#tests/helpers/world'
import { givenRoles } from '#tests/helpers/meetings'

async function createPoll(client: any, world: PollWorld, body: Record<string, unknown>) {
  const response = await world
    .as(world.moderatorToken, client.post('/api/polls'))
    .json({ agenda_item: world.item.id, title: 'Board election', ...body })
  if (response.status() !== 201) throw new Error(JSON.stringify(response.body()))
  return response.body()
}

const ballotOf = (client: any, world: PollWorld, token: string, pollId: number) =>
  world.as(token, client.get(`/api/polls/${pollId}/ballot`))

async function vote(client: any, world: PollWorld, token: string, body: Record<string, unknown>) {
  const response = await world.as(token, client.post('/api/votes')).json(body)
  if (response.status() >= 300) throw new Error(JSON.stringify(response.body()))
  return response.body()
}

test.group('GET /api/polls/{id}/ballot (B-NEW-05)', () => {
  test('a voter sees instructions, full labels and constraints, then their ranking and abstention', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const proposals = await givenProposals(world.item, 4)
    // A long body: the label is the full text, the stored title only an excerpt.
    const long = `We propose that ${'the association publishes every decision & its reasons, '.repeat(4)}in full.`
    await Proposal.query()
      .where('id', proposals[0].id)
      .update({ body: `<p>${long.replace('&', '&amp;')}</p><p>Second <b>paragraph</b>.</p>` })
    const poll = await createPoll(client, world, {
      method_name: 'repeated_irv',
      settings: { winners: 2, min: 1, max: 3 },
      body: '<p>Two seats &amp; one list.</p>',
      proposals: proposals.map((p) => p.id),
      start: true,
    })

    const before = await ballotOf(client, world, world.tokens[0], poll.id)
    before.assertStatus(200)
    const body = before.body()
    assert.equal(body.poll, poll.id)
    assert.equal(body.method_name, 'repeated_irv')
    assert.equal(body.title, 'Board election')
    assert.equal(body.description, 'Two seats & one list.')
    assert.equal(body.control, 'rank')
    assert.equal(body.instructions.key, 'ballot.instructions.ranking')
    assert.isString(body.instructions.text)
    assert.deepEqual(body.constraints[0], {
      key: 'ballot.constraint.rank_between',
      params: { min: 1, max: 3, options: 4 },
      text: 'Rank at least 1 and at most 3 candidates; each rank once.',
    })
    assert.deepEqual(body.outcome.params, { winners: 2 })
    assert.lengthOf(body.options, 4)
    assert.deepEqual(
      body.options.map((o: any) => [o.id, o.prop_id, o.position, o.rank]),
      proposals.map((p, i) => [p.id, p.propId, i + 1, null])
    )
    assert.equal(body.options[0].label, `${long}\nSecond paragraph.`)
    assert.equal(body.options[1].label, 'Proposal 2')
    assert.isNull(body.current)
    assert.isTrue(body.can_vote)
    assert.isTrue(body.can_abstain)

    const cast = await vote(client, world, world.tokens[0], {
      poll: poll.id,
      vote: { ranking: [proposals[2].id, proposals[0].id] },
    })
    const after = (await ballotOf(client, world, world.tokens[0], poll.id)).body()
    assert.deepEqual(after.current, {
      id: cast.id,
      rev: cast.rev,
      abstain: false,
      vote: { ranking: [proposals[2].id, proposals[0].id] },
    })
    assert.deepEqual(
      after.options.map((o: any) => o.rank),
      [2, null, 1, null]
    )
    // Another voter's ballot shows none of it.
    const other = (await ballotOf(client, world, world.tokens[1], poll.id)).body()
    assert.isNull(other.current)

    await vote(client, world, world.tokens[0], { poll: poll.id, abstain: true })
    const abstained = (await ballotOf(client, world, world.tokens[0], poll.id)).body()
    assert.include(abstained.current, { abstain: true, vote: null })
    assert.isTrue(abstained.options.every((o: any) => o.rank === null))
  })

  test('an approval ballot of an open poll: the choice set, and after close can_vote is false', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 3)
    const poll = await createPoll(client, world, {
      method_name: 'dutt',
      settings: { min: 1, max: 2 },
      proposals: proposals.map((p) => p.id),
      secret: false,
      start: true,
    })
    await vote(client, world, world.tokens[0], {
      poll: poll.id,
      vote: { choices: [proposals[0].id, proposals[2].id] },
    })
    const voted = (await ballotOf(client, world, world.tokens[0], poll.id)).body()
    assert.equal(voted.constraints[0].text, 'Choose between 1 and 2 options.')
    assert.deepEqual(
      voted.options.map((o: any) => o.selected),
      [true, false, true]
    )
    await world
      .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
      .json({ event: 'close' })
      .then((r: any) => r.assertStatus(200))
    const closed = (await ballotOf(client, world, world.tokens[0], poll.id)).body()
    assert.isFalse(closed.can_vote)
    // An open poll keeps the vote rows (api.md: shown to their owner only).
    assert.deepEqual(closed.current.vote, { choices: [proposals[0].id, proposals[2].id] })
  })

  test('a secret poll after close has no current choice', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 2 })
    const [proposal] = await givenProposals(world.item, 1)
    const poll = await createPoll(client, world, {
      method_name: 'simple',
      proposals: [proposal.id],
      secret: true,
      start: true,
    })
    await vote(client, world, world.tokens[0], { poll: poll.id, vote: { choice: 'yes' } })
    await vote(client, world, world.tokens[1], { poll: poll.id, vote: { choice: 'no' } })
    const open = (await ballotOf(client, world, world.tokens[0], poll.id)).body()
    assert.equal(open.options[0].choice, 'yes')
    assert.deepEqual(open.values, ['yes', 'no'])
    await world
      .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
      .json({ event: 'close' })
      .then((r: any) => r.assertStatus(200))
    const response = await ballotOf(client, world, world.tokens[0], poll.id)
    response.assertStatus(200)
    assert.isNull(response.body().current)
    assert.isNull(response.body().options[0].choice)
    assert.isFalse(response.body().can_vote)
  })

  test('outside the register: can_vote false; private polls hidden; other organisations 404; anonymous 401', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 2)
    const poll = await createPoll(client, world, {
      method_name: 'majority',
      proposals: proposals.map((p) => p.id),
      start: true,
    })
    // A participant without voting rights sees the ballot but may not vote.
    const participant = await givenUser(world.organisation)
    await givenRoles(world.meeting, participant, ['pa'])
    const participantToken = await tokenFor(participant)
    const outside = await ballotOf(client, world, participantToken, poll.id)
    outside.assertStatus(200)
    assert.isFalse(outside.body().can_vote)
    assert.isNull(outside.body().description)
    assert.isFalse(outside.body().can_abstain)
    assert.equal(outside.body().constraints[0].text, 'Choose exactly one of the 2 options.')
    assert.isNull(outside.body().current)

    // A private poll: the moderator sees its ballot, participants get 404 as for GET /api/polls/{id}.
    const hidden = await createPoll(client, world, {
      method_name: 'majority',
      proposals: proposals.map((p) => p.id),
    })
    assert.equal(hidden.state, 'private')
    ;(await ballotOf(client, world, world.tokens[0], hidden.id)).assertStatus(404)
    ;(await world.as(world.tokens[0], client.get(`/api/polls/${hidden.id}`))).assertStatus(404)
    const moderatorView = await ballotOf(client, world, world.moderatorToken, hidden.id)
    moderatorView.assertStatus(200)
    assert.isFalse(moderatorView.body().can_vote)

    // A user of another organisation, on their own host: the poll does not exist there.
    const elsewhere = await pollWorld({ voters: 1 })
    ;(await ballotOf(client, elsewhere, elsewhere.tokens[0], poll.id)).assertStatus(404)

    // Anonymous.
    const anonymous = await client.get(`/api/polls/${poll.id}/ballot`).header('host', world.host)
    anonymous.assertStatus(401)
  })
})
