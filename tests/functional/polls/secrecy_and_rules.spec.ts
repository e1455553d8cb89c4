import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Poll from '#models/poll'
import Vote from '#models/vote'
import Proposal from '#models/proposal'
import PollParticipation from '#models/poll_participation'
import AuditEntry from '#models/audit_entry'
import { closeDuePolls } from '#services/poll_hooks'
import { givenUser } from '#tests/helpers/world'
import { givenRoles } from '#tests/helpers/meetings'
import { givenProposals, pollWorld, tokenFor, type PollWorld } from '#tests/helpers/polls'

async function newPoll(client: any, world: PollWorld, body: Record<string, unknown>) {
  const response = await world
    .as(world.moderatorToken, client.post('/api/polls'))
    .json({ agenda_item: world.item.id, title: 'Poll', ...body })
  if (response.status() !== 201) throw new Error(JSON.stringify(response.body()))
  return response.body()
}

test.group('Secret polls (B-ADD-06)', () => {
  test('after close nothing links a voter to a ballot: rows, endpoints, bundle, audit', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const proposals = await givenProposals(world.item, 3)
    const poll = await newPoll(client, world, {
      method_name: 'irv',
      proposals: proposals.map((p) => p.id),
      start: true,
    })
    assert.isTrue(poll.secret)
    const choices = [[proposals[0].id], [proposals[1].id, proposals[0].id], [proposals[2].id]]
    for (const [i, ranking] of choices.entries()) {
      const cast = await world
        .as(world.tokens[i], client.post('/api/votes'))
        .json({ poll: poll.id, vote: { ranking } })
      cast.assertStatus(201)
    }
    // While the poll runs the vote rows carry no user id, only a keyed HMAC.
    const running = await Vote.forOrganisation(world.organisation.id).where('poll_id', poll.id)
    assert.lengthOf(running, 3)
    for (const row of running) {
      assert.isNull(row.userId)
      assert.match(row.voterRef, /^[0-9a-f]{64}$/)
    }
    // The voter sees their own vote while the poll runs.
    const own = await world.as(world.tokens[1], client.get(`/api/votes?poll=${poll.id}`))
    assert.deepEqual(own.body().data[0].vote, { ranking: choices[1] })

    ;(
      await world
        .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
        .json({ event: 'close' })
    ).assertStatus(200)

    // Rows: the vote rows and the voter key are gone; participation (turnout) stays, without content.
    assert.lengthOf(await Vote.forOrganisation(world.organisation.id).where('poll_id', poll.id), 0)
    const stored = await Poll.findInOrganisation(world.organisation.id, poll.id)
    assert.isNull(stored!.voterKeySalt)
    const participation = await PollParticipation.forOrganisation(world.organisation.id).where(
      'poll_id',
      poll.id
    )
    assert.sameMembers(
      participation.map((row) => row.userId),
      world.voters.map((v) => v.id)
    )
    const ballotColumns = Object.keys(
      (await db.from('poll_ballots').where('poll_id', poll.id).first()) ?? {}
    )
    assert.notInclude(ballotColumns, 'user_id')
    assert.notInclude(ballotColumns, 'voter_ref')
    assert.notInclude(ballotColumns, 'created_at')

    // Endpoints: not even the voter gets their vote back; ballots and bundle carry no identity.
    for (const token of [...world.tokens, world.moderatorToken]) {
      const votes = await world.as(token, client.get(`/api/votes?poll=${poll.id}`))
      assert.lengthOf(votes.body().data, 0)
    }
    const ballots = await world.as(
      world.moderatorToken,
      client.get(`/api/polls/${poll.id}/ballots`)
    )
    // Inclusion mode (the default of secret polls): the rows carry no receipt hash either.
    for (const row of ballots.body().data)
      assert.sameMembers(Object.keys(row), ['vote_data', 'weight'])
    const bundle = JSON.stringify(
      (await world.as(world.moderatorToken, client.get(`/api/polls/${poll.id}/bundle`))).body()
    )
    for (const voter of world.voters) {
      assert.notInclude(bundle, voter.email!)
      assert.notInclude(bundle, `"user":${voter.id}`)
    }
    // Audit: vote entries name the actor (who took part) but neither the vote row nor its content.
    const entries = await AuditEntry.forOrganisation(world.organisation.id).where('model', 'Vote')
    assert.lengthOf(entries, 3)
    for (const entry of entries) {
      assert.isNull(entry.objectId)
      assert.deepEqual(entry.changes, { vote_data: ['*', '*'], abstain: ['*', '*'] })
    }
    const all = JSON.stringify(
      await AuditEntry.forOrganisation(world.organisation.id).where('meeting_id', world.meeting.id)
    )
    assert.notInclude(all, `${proposals[1].id},${proposals[0].id}`)
  })

  test('open polls keep the link for moderators only; voters still only see their own vote', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
      secret: false,
    })
    ;(
      await world
        .as(world.tokens[0], client.post('/api/votes'))
        .json({ poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    ;(
      await world
        .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
        .json({ event: 'close' })
    ).assertStatus(200)
    const rows = await Vote.forOrganisation(world.organisation.id).where('poll_id', poll.id)
    assert.equal(rows[0].userId, world.voters[0].id)
    const theirs = await world.as(world.tokens[1], client.get(`/api/votes?poll=${poll.id}`))
    assert.lengthOf(theirs.body().data, 0)
    const mine = await world.as(world.tokens[0], client.get(`/api/votes?poll=${poll.id}`))
    assert.lengthOf(mine.body().data, 1)
  })
})

test.group('Quorum and majority (B-ADD-04)', () => {
  test('a failed quorum ends no_result with the counts and releases the proposals', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 4 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      quorum: { type: 'percent_of_register', value: 75, weighted: false },
      start: true,
    })
    for (const token of world.tokens.slice(0, 2)) {
      ;(
        await world
          .as(token, client.post('/api/votes'))
          .json({ poll: poll.id, vote: { choice: 'yes' } })
      ).assertStatus(201)
    }
    const closed = await world
      .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
      .json({ event: 'close' })
    assert.equal(closed.body().state, 'no_result')
    assert.equal(closed.body().object.result_reason, 'quorum_not_met')
    assert.isFalse(closed.body().object.result.quorum_met)
    assert.equal(closed.body().object.result.yes, 2)
    assert.deepEqual(closed.body().object.result.approved, [])
    assert.equal(
      (await Proposal.findInOrganisation(world.organisation.id, pr1.id))!.state,
      'published'
    )
  })

  test('a majority rule denies what the plain count would approve', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 5 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      quorum: { type: 'count', value: 5, weighted: false },
      majority: { type: 'two_thirds', abstentions_count: false },
      start: true,
    })
    for (const [i, choice] of ['yes', 'yes', 'yes', 'no', 'no'].entries()) {
      ;(
        await world
          .as(world.tokens[i], client.post('/api/votes'))
          .json({ poll: poll.id, vote: { choice } })
      ).assertStatus(201)
    }
    const closed = await world
      .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
      .json({ event: 'close' })
    assert.equal(closed.body().state, 'finished')
    assert.deepInclude(closed.body().object.result, {
      quorum_met: true,
      majority_met: false,
      approved: [],
      denied: [pr1.id],
    })
    assert.equal(
      (await Proposal.findInOrganisation(world.organisation.id, pr1.id))!.state,
      'denied'
    )
  })

  test('majority rules are refused for methods they do not apply to', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 3)
    const refused = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'x',
      method_name: 'irv',
      proposals: proposals.map((p) => p.id),
      majority: { type: 'simple', abstentions_count: false },
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'majority')
  })
})

test.group('Automatic close (close_at)', () => {
  test('due polls are closed exactly once even when several instances run the job at once', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
      close_at: DateTime.utc().plus({ hours: 1 }).toISO(),
    })
    ;(
      await world
        .as(world.tokens[0], client.post('/api/votes'))
        .json({ poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    assert.deepEqual(await closeDuePolls(), [])
    const row = await Poll.findInOrganisation(world.organisation.id, poll.id)
    row!.closeAt = DateTime.utc().minus({ seconds: 1 })
    await row!.save()
    const runs = await Promise.all([closeDuePolls(), closeDuePolls(), closeDuePolls()])
    assert.lengthOf(
      runs.flat().filter((id) => id === poll.id),
      1
    )
    const closed = await Poll.findInOrganisation(world.organisation.id, poll.id)
    assert.equal(closed!.state, 'finished')
    const closes = await AuditEntry.forOrganisation(world.organisation.id)
      .where('event', 'poll.close')
      .where('object_id', String(poll.id))
    assert.lengthOf(closes, 1)
    assert.equal(closes[0].source, 'job')
  })
})

test.group('Poll permissions: role × action', () => {
  test('who may list, see, create, change, start, vote, trigger registers and download bundles', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1] = await givenProposals(world.item, 1)
    const participant = await givenUser(world.organisation)
    await givenRoles(world.meeting, participant, ['pa'])
    const outsider = await givenUser(world.organisation)
    const tokens = {
      participant: await tokenFor(participant),
      potential_voter: world.tokens[0],
      moderator: world.moderatorToken,
      org_member: await tokenFor(outsider),
    }
    type Caller = keyof typeof tokens | 'anonymous'
    const callers: Caller[] = [
      'anonymous',
      'org_member',
      'participant',
      'potential_voter',
      'moderator',
    ]
    const privatePoll = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    const running = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
      secret: false,
    })
    const send = (caller: Caller, request: any) =>
      caller === 'anonymous'
        ? request.header('host', world.host)
        : world.as(tokens[caller], request)

    const matrix: Array<[string, (caller: Caller) => any, Record<Caller, number>]> = [
      [
        'list polls',
        (c) => send(c, client.get(`/api/polls?meeting=${world.meeting.id}`)),
        { anonymous: 401, org_member: 422, participant: 200, potential_voter: 200, moderator: 200 },
      ],
      [
        'view a private poll',
        (c) => send(c, client.get(`/api/polls/${privatePoll.id}`)),
        { anonymous: 401, org_member: 404, participant: 404, potential_voter: 404, moderator: 200 },
      ],
      [
        'view an ongoing poll',
        (c) => send(c, client.get(`/api/polls/${running.id}`)),
        { anonymous: 401, org_member: 404, participant: 200, potential_voter: 200, moderator: 200 },
      ],
      [
        'create a poll',
        (c) =>
          send(c, client.post('/api/polls')).json({
            agenda_item: world.item.id,
            title: 'm',
            method_name: 'simple',
            proposals: [pr1.id],
          }),
        { anonymous: 401, org_member: 422, participant: 403, potential_voter: 403, moderator: 201 },
      ],
      [
        'change a private poll',
        (c) => send(c, client.patch(`/api/polls/${privatePoll.id}`)).json({ title: 'renamed' }),
        { anonymous: 401, org_member: 404, participant: 404, potential_voter: 404, moderator: 200 },
      ],
      [
        'change an ongoing poll',
        (c) => send(c, client.patch(`/api/polls/${running.id}`)).json({ title: 'renamed' }),
        { anonymous: 401, org_member: 404, participant: 403, potential_voter: 403, moderator: 403 },
      ],
      [
        'start a private poll',
        (c) =>
          send(c, client.post(`/api/polls/${privatePoll.id}/event`)).json({
            event: 'make_upcoming',
          }),
        { anonymous: 401, org_member: 404, participant: 404, potential_voter: 404, moderator: 200 },
      ],
      [
        'vote',
        (c) =>
          send(c, client.post('/api/votes')).json({ poll: running.id, vote: { choice: 'yes' } }),
        { anonymous: 401, org_member: 422, participant: 403, potential_voter: 201, moderator: 403 },
      ],
      [
        'list registers',
        (c) => send(c, client.get(`/api/electoral-registers?meeting=${world.meeting.id}`)),
        { anonymous: 401, org_member: 422, participant: 200, potential_voter: 200, moderator: 200 },
      ],
      [
        'trigger a register',
        (c) =>
          send(c, client.post('/api/electoral-registers/trigger-create')).json({
            meeting: world.meeting.id,
          }),
        { anonymous: 401, org_member: 422, participant: 403, potential_voter: 403, moderator: 204 },
      ],
      [
        'cancel an ongoing poll',
        (c) => send(c, client.post(`/api/polls/${running.id}/event`)).json({ event: 'cancel' }),
        { anonymous: 401, org_member: 404, participant: 403, potential_voter: 403, moderator: 200 },
      ],
    ]
    const problems: string[] = []
    for (const [action, request, expected] of matrix) {
      for (const caller of callers) {
        const response = await request(caller)
        if (response.status() !== expected[caller])
          problems.push(
            `${action} as ${caller}: ${response.status()} (expected ${expected[caller]}) ${JSON.stringify(response.body()).slice(0, 120)}`
          )
      }
    }
    assert.deepEqual(problems, [])
  })
})
