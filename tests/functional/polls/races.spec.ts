import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { writeFile, readFile, rm } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import Poll from '#models/poll'
import { castBatch } from '#actions/polls/cast_vote'
import Vote from '#models/vote'
import PollParticipation from '#models/poll_participation'
import PollBallot from '#models/poll_ballot'
import AuditEntry from '#models/audit_entry'
import { givenRoles } from '#tests/helpers/meetings'
import { givenUser } from '#tests/helpers/world'
import { givenProposals, pollWorld, tokenFor } from '#tests/helpers/polls'

const run = promisify(execFile)

/**
 * Concurrency guarantees (issue 7 acceptance). They run on SQLite and on
 * PostgreSQL (DB_CONNECTION=pg): on PostgreSQL requests really run in
 * parallel on several connections.
 */
test.group('Polls: races', () => {
  test('the same voter voting 20 times in parallel stores one vote', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 2)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Race',
      method_name: 'majority',
      proposals: proposals.map((p) => p.id),
      start: true,
      secret: false,
    })
    created.assertStatus(201)
    const pollId = created.body().id
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world
          .as(world.tokens[0], client.post('/api/votes'))
          .json({ poll: pollId, vote: { choice: proposals[i % 2].id } })
      )
    )
    const statuses = responses.map((r: any) => r.status())
    assert.deepEqual(
      statuses.filter((s: number) => s !== 200 && s !== 201),
      [],
      JSON.stringify(responses.map((r: any) => r.body()))
    )
    assert.equal(statuses.filter((s: number) => s === 201).length, 1)
    assert.lengthOf(await Vote.forOrganisation(world.organisation.id).where('poll_id', pollId), 1)
    assert.lengthOf(
      await PollParticipation.forOrganisation(world.organisation.id).where('poll_id', pollId),
      1
    )
    // Every response names the same vote row (ids kept across replacements).
    assert.lengthOf(new Set(responses.map((r: any) => r.body().id)), 1)
  })

  test('votes of one voter from several instances at once (no shared group commit) store one row', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const proposals = await givenProposals(world.item, 2)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Instances',
      method_name: 'majority',
      proposals: proposals.map((p) => p.id),
      start: true,
      secret: true,
    })
    created.assertStatus(201)
    const pollId = created.body().id
    // Each transaction stands for the group commit of another instance: they really race in the database.
    const batches = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction((trx) =>
          castBatch(trx, [
            {
              organisationId: world.organisation.id,
              pollId,
              user: world.voters[i % 2],
              vote: { choice: proposals[i % 2].id },
              actor: { userId: world.voters[i % 2].id, source: 'api' },
            },
          ])
        )
      )
    )
    const outcomes = batches.map(([result]) => {
      if (!result.ok) throw result.error
      return result.value
    })
    // One first cast per voter, every other one a replacement of that row.
    assert.equal(outcomes.filter((outcome) => outcome.created).length, 2)
    assert.lengthOf(await Vote.forOrganisation(world.organisation.id).where('poll_id', pollId), 2)
    assert.lengthOf(
      await PollParticipation.forOrganisation(world.organisation.id).where('poll_id', pollId),
      2
    )
    const revs = outcomes.map((outcome) => outcome.vote.rev).sort((a, b) => a - b)
    assert.deepEqual(revs, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6])
    const audit = await AuditEntry.forOrganisation(world.organisation.id)
      .where('model', 'Vote')
      .whereIn('event', ['vote.cast', 'vote.changed'])
    assert.lengthOf(audit, 12)
    assert.equal(audit.filter((entry) => entry.event === 'vote.cast').length, 2)
  })

  test('two closes in parallel produce one result', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 3 })
    const second = await givenUser(world.organisation)
    await givenRoles(world.meeting, second, ['mo'])
    const secondToken = await tokenFor(second)
    const [proposal] = await givenProposals(world.item, 1)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Close race',
      method_name: 'simple',
      proposals: [proposal.id],
      start: true,
    })
    const pollId = created.body().id
    for (const token of world.tokens) {
      await world
        .as(token, client.post('/api/votes'))
        .json({ poll: pollId, vote: { choice: 'yes' } })
        .then((r: any) => r.assertStatus(201))
    }
    const [a, b] = await Promise.all([
      world
        .as(world.moderatorToken, client.post(`/api/polls/${pollId}/event`))
        .json({ event: 'close' }),
      world.as(secondToken, client.post(`/api/polls/${pollId}/event`)).json({ event: 'close' }),
    ])
    const statuses = [a.status(), b.status()].sort()
    assert.deepEqual(statuses, [200, 422], JSON.stringify([a.body(), b.body()]))
    const poll = await Poll.findInOrganisation(world.organisation.id, pollId)
    assert.equal(poll!.state, 'finished')
    assert.equal(poll!.result!.yes, 3)
    const closes = await AuditEntry.forOrganisation(world.organisation.id)
      .where('event', 'poll.close')
      .where('object_id', String(pollId))
    assert.lengthOf(closes, 1)
    const finishes = await AuditEntry.forOrganisation(world.organisation.id)
      .where('event', 'poll.finish')
      .where('object_id', String(pollId))
    assert.lengthOf(finishes, 1)
    assert.lengthOf(
      await PollBallot.forOrganisation(world.organisation.id).where('poll_id', pollId),
      3
    )
  })

  test('votes racing a close: every acknowledged vote is counted, every other one refused', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 12 })
    const [proposal] = await givenProposals(world.item, 1)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Race close',
      method_name: 'simple',
      proposals: [proposal.id],
      start: true,
    })
    const pollId = created.body().id
    const votes = world.tokens.map((token) =>
      world.as(token, client.post('/api/votes')).json({ poll: pollId, vote: { choice: 'yes' } })
    )
    const close = new Promise((resolve) => setTimeout(resolve, 15)).then(() =>
      world
        .as(world.moderatorToken, client.post(`/api/polls/${pollId}/event`))
        .json({ event: 'close' })
    )
    const [closed, ...responses] = await Promise.all([close, ...votes])
    closed.assertStatus(200)
    const statuses = responses.map((r: any) => r.status())
    assert.deepEqual(
      statuses.filter((s: number) => s !== 201 && s !== 403),
      []
    )
    const acknowledged = statuses.filter((s: number) => s === 201).length
    const poll = await Poll.findInOrganisation(world.organisation.id, pollId)
    const counted = poll!.state === 'finished' ? (poll!.result!.vote_count as number) : 0
    assert.equal(counted, acknowledged)
    assert.lengthOf(
      await PollBallot.forOrganisation(world.organisation.id).where('poll_id', pollId),
      acknowledged
    )
  })

  test('a crash between vote acknowledgement and close loses nothing (close from another process)', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 6 })
    const proposals = await givenProposals(world.item, 3)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Crash',
      method_name: 'scottish_stv',
      settings: { winners: 1 },
      proposals: proposals.map((p) => p.id),
      start: true,
    })
    created.assertStatus(201)
    const pollId = created.body().id
    const acknowledged: string[] = []
    await Promise.all(
      world.tokens.map(async (token, i) => {
        const response = await world.as(token, client.post('/api/votes')).json({
          poll: pollId,
          vote: { ranking: [proposals[i % 3].id, proposals[(i + 1) % 3].id] },
        })
        if (response.status() === 201) acknowledged.push(response.body().receipt)
      })
    )
    assert.lengthOf(acknowledged, 6)
    // The serving process is not asked again: a separate process (as after a restart) closes the poll.
    const env = { ...process.env }
    const { stdout } = await run(process.execPath, ['ace', 'poll:close', String(pollId)], {
      env,
      cwd: process.cwd(),
    })
    assert.match(stdout, /finished/)
    const poll = await Poll.findInOrganisation(world.organisation.id, pollId)
    assert.equal(poll!.state, 'finished')
    assert.equal(poll!.result!.vote_count, 6)
    // Every acknowledged receipt is in the published ballots.
    const ballots = await world.as(world.tokens[0], client.get(`/api/polls/${pollId}/ballots`))
    // A secret poll: inclusion mode by default, hashes apart from the ballots.
    const hashes = new Set(ballots.body().receipt_hashes)
    const { createHash } = await import('node:crypto')
    for (const code of acknowledged)
      assert.isTrue(hashes.has(createHash('sha256').update(code).digest('hex')))

    // poll:recount agrees; poll:export writes a bundle that `npm run count -- --verify` accepts.
    const recount = await run(process.execPath, ['ace', 'poll:recount', String(pollId)], { env })
    assert.match(recount.stdout, /checksum matches/)
    assert.match(recount.stdout, /result matches/)
    const file = `tmp/bundle-${pollId}-${Date.now()}.json`
    await run(process.execPath, ['ace', 'poll:export', String(pollId), '--out', file], { env })
    const verified = await run(
      process.execPath,
      ['--import=@poppinss/ts-exec', 'bin/count.ts', '--verify', file],
      { env }
    )
    assert.match(verified.stdout + verified.stderr, /ok|valid|verified/i)
    // Tampering is detected (exit 1).
    const bundle = JSON.parse(await readFile(file, 'utf8'))
    bundle.result.approved = []
    await writeFile(file, JSON.stringify(bundle))
    const tampered = await run(
      process.execPath,
      ['--import=@poppinss/ts-exec', 'bin/count.ts', '--verify', file],
      { env }
    ).catch((error) => error)
    assert.equal(tampered.code, 1)
    await rm(file, { force: true })
  }).timeout(120_000)
})
