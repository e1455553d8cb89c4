import { test } from '@japa/runner'
import { createHash } from 'node:crypto'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { rm } from 'node:fs/promises'
import db from '@adonisjs/lucid/services/db'
import Poll from '#models/poll'
import Vote from '#models/vote'
import AuditEntry from '#models/audit_entry'
import { verifyBundle } from '#domain/polls/bundle'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'
import { givenProposals, pollWorld, type PollWorld } from '#tests/helpers/polls'

const run = promisify(execFile)
const sha256 = (code: string) => createHash('sha256').update(code).digest('hex')
const sorted = (values: string[]) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

async function createPoll(client: any, world: PollWorld, body: Record<string, unknown>) {
  return world
    .as(world.moderatorToken, client.post('/api/polls'))
    .json({ agenda_item: world.item.id, title: 'Poll', method_name: 'simple', ...body })
}

/** Three voters (the first replaces its vote), closed; returns the receipts that stand. */
async function castAndClose(client: any, world: PollWorld, pollId: number) {
  const cast = async (token: string, body: Record<string, unknown>) => {
    const response = await world
      .as(token, client.post('/api/votes'))
      .json({ poll: pollId, ...body })
    if (response.status() >= 300) throw new Error(JSON.stringify(response.body()))
    return response.body().receipt as string
  }
  const voided = await cast(world.tokens[0], { vote: { choice: 'no' } })
  const receipts = {
    yes: await cast(world.tokens[0], { vote: { choice: 'yes' } }),
    no: await cast(world.tokens[1], { vote: { choice: 'no' } }),
    abstain: await cast(world.tokens[2], { abstain: true }),
  }
  const closed = await world
    .as(world.moderatorToken, client.post(`/api/polls/${pollId}/event`))
    .json({ event: 'close' })
  closed.assertStatus(200)
  return { receipts, voided }
}

test.group('Receipt modes (B-NEW-02)', () => {
  test('both modes end to end: cast, close, ballots list, bundle, count --verify', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const files: string[] = []
    const proposals = await givenProposals(world.item, 2)
    for (const [index, mode] of (['inclusion', 'content'] as const).entries()) {
      const proposal = proposals[index]
      const created = await createPoll(client, world, {
        proposals: [proposal.id],
        receipt_mode: mode,
        start: true,
      })
      created.assertStatus(201)
      assert.deepInclude(created.body(), { secret: true, receipt_mode: mode })
      const pollId = created.body().id
      const { receipts, voided } = await castAndClose(client, world, pollId)
      const hashes = Object.values(receipts).map(sha256)

      const ballots = await world.as(world.tokens[1], client.get(`/api/polls/${pollId}/ballots`))
      ballots.assertStatus(200)
      const body = ballots.body()
      assert.equal(body.receipt_mode, mode)
      assert.lengthOf(body.data, 3)
      if (mode === 'inclusion') {
        // Rows without hashes; the hashes sorted beside them, the voided one absent.
        for (const row of body.data) assert.sameMembers(Object.keys(row), ['vote_data', 'weight'])
        assert.sameMembers(
          body.data.map((row: any) => row.vote_data),
          ['yes', 'no', null]
        )
        assert.deepEqual(body.receipt_hashes, sorted(hashes))
        assert.notInclude(body.receipt_hashes, sha256(voided))
      } else {
        // Each hash stands next to its ballot: the voter can check the content.
        assert.notProperty(body, 'receipt_hashes')
        const byHash = new Map(body.data.map((row: any) => [row.receipt_hash, row.vote_data]))
        assert.equal(byHash.get(sha256(receipts.yes)), 'yes')
        assert.equal(byHash.get(sha256(receipts.no)), 'no')
        assert.isNull(byHash.get(sha256(receipts.abstain)))
        assert.isFalse(byHash.has(sha256(voided)))
      }

      // The bundle lists the hashes sorted apart from the ballots in both modes, and verifies.
      const bundle = await world.as(world.tokens[2], client.get(`/api/polls/${pollId}/bundle`))
      bundle.assertStatus(200)
      assert.deepEqual(bundle.body().receipt_hashes, sorted(hashes))
      assert.equal(bundle.body().poll.receipt_mode, mode)
      const key = await world.as(world.tokens[2], client.get('/api/organisation/signing-key'))
      assert.deepEqual(verifyBundle(bundle.body(), key.body().public_key).problems, [])

      const file = `tmp/bundle-receipts-${pollId}-${Date.now()}.json`
      files.push(file)
      await run(process.execPath, ['ace', 'poll:export', String(pollId), '--out', file], {
        env: { ...process.env },
      })
      const verified = await run(
        process.execPath,
        ['--import=@poppinss/ts-exec', 'bin/count.ts', '--verify', file],
        { env: { ...process.env } }
      )
      assert.match(verified.stdout + verified.stderr, /ok|valid|verified/i)
    }
    for (const file of files) await rm(file, { force: true })
  }).timeout(120_000)

  test('a secret inclusion-mode poll leaves no row that links a receipt hash to a ballot', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const [proposal] = await givenProposals(world.item, 1)
    const created = await createPoll(client, world, { proposals: [proposal.id], start: true })
    assert.deepInclude(created.body(), { secret: true, receipt_mode: 'inclusion' })
    const pollId = created.body().id
    const { receipts, voided } = await castAndClose(client, world, pollId)
    const hashes = [...Object.values(receipts), voided].map(sha256)

    // No vote rows; ballot rows carry no hash at all.
    assert.lengthOf(await Vote.forOrganisation(world.organisation.id).where('poll_id', pollId), 0)
    const ballots = await db.from('poll_ballots').where('poll_id', pollId)
    assert.lengthOf(ballots, 3)
    for (const row of ballots) assert.isNull(row.receipt_hash)
    // The hashes are apart, with nothing but the poll, in hash order (row order says nothing).
    const apart = await db.from('poll_receipts').where('poll_id', pollId).orderBy('id')
    for (const row of apart)
      assert.sameMembers(Object.keys(row), ['id', 'organisation_id', 'poll_id', 'receipt_hash'])
    assert.deepEqual(
      apart.map((row) => row.receipt_hash),
      sorted(Object.values(receipts).map(sha256))
    )
    // No other table of the poll holds a hash: not the poll, participation or audit rows.
    const elsewhere = JSON.stringify([
      await db.from('polls').where('id', pollId),
      await db.from('poll_participations').where('poll_id', pollId),
      await db.from('poll_ballots').where('poll_id', pollId),
      await AuditEntry.forOrganisation(world.organisation.id).where('meeting_id', world.meeting.id),
    ])
    for (const hash of hashes) assert.notInclude(elsewhere, hash)
  })

  test('an open inclusion-mode poll keeps voters on its vote rows but not their receipts', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const [proposal] = await givenProposals(world.item, 1)
    const created = await createPoll(client, world, {
      proposals: [proposal.id],
      secret: false,
      receipt_mode: 'inclusion',
      start: true,
    })
    created.assertStatus(201)
    const { receipts } = await castAndClose(client, world, created.body().id)
    const votes = await Vote.forOrganisation(world.organisation.id).where(
      'poll_id',
      created.body().id
    )
    assert.lengthOf(votes, 3)
    for (const vote of votes) {
      assert.isNotNull(vote.userId)
      assert.equal(vote.receiptHash, '')
    }
    const ballots = await world.as(
      world.moderatorToken,
      client.get(`/api/polls/${created.body().id}/ballots`)
    )
    assert.deepEqual(ballots.body().receipt_hashes, sorted(Object.values(receipts).map(sha256)))
  })

  test('defaults follow secrecy; bad values are 422 naming receipt_mode; frozen at start', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [proposal] = await givenProposals(world.item, 1)
    const secret = await createPoll(client, world, { proposals: [proposal.id] })
    assert.equal(secret.body().receipt_mode, 'inclusion')
    const open = await createPoll(client, world, { proposals: [proposal.id], secret: false })
    assert.equal(open.body().receipt_mode, 'content')

    for (const value of ['both', 1, true, 'INCLUSION']) {
      const bad = await createPoll(client, world, { proposals: [proposal.id], receipt_mode: value })
      bad.assertStatus(422)
      assert.equal(bad.body().errors[0].field, 'receipt_mode', JSON.stringify(value))
      const badPatch = await world
        .as(world.moderatorToken, client.patch(`/api/polls/${secret.body().id}`))
        .json({ receipt_mode: value })
      badPatch.assertStatus(422)
      assert.equal(badPatch.body().errors[0].field, 'receipt_mode')
    }

    // While private/upcoming: an explicit mode is kept; a secrecy change alone moves to its default.
    const id = secret.body().id
    const patch = (body: Record<string, unknown>) =>
      world.as(world.moderatorToken, client.patch(`/api/polls/${id}`)).json(body)
    assert.equal((await patch({ receipt_mode: 'content' })).body().receipt_mode, 'content')
    assert.equal((await patch({ title: 'Renamed' })).body().receipt_mode, 'content')
    assert.deepInclude((await patch({ secret: false })).body(), {
      secret: false,
      receipt_mode: 'content',
    })
    assert.deepInclude((await patch({ secret: true })).body(), {
      secret: true,
      receipt_mode: 'inclusion',
    })
    assert.deepInclude((await patch({ secret: false, receipt_mode: 'inclusion' })).body(), {
      secret: false,
      receipt_mode: 'inclusion',
    })
    const audit = await AuditEntry.forOrganisation(world.organisation.id)
      .where('event', 'poll.updated')
      .where('object_id', String(id))
      .orderBy('id')
    assert.deepEqual(audit[0].changes.receipt_mode, ['inclusion', 'content'])

    // Frozen at start like the other poll rules.
    const started = await world
      .as(world.moderatorToken, client.post(`/api/polls/${id}/event`))
      .json({ event: 'make_ongoing' })
    started.assertStatus(200)
    const frozen = await patch({ receipt_mode: 'content' })
    frozen.assertStatus(403)
    assert.equal(
      (await Poll.findInOrganisation(world.organisation.id, id))!.receiptMode,
      'inclusion'
    )
  })

  test('admin: the poll forms offer the mode with the content warning', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 1)
    const browser = await loginAdmin(client, world.host, world.moderator)
    const page = await visit(browser, `/admin/polls/meetings/${world.meeting.id}`)
    assert.include(page.text(), 'name="receipt_mode"')
    assert.include(page.text(), 'a voter can show anyone how they voted')

    const create = (extra: string) =>
      browser.client
        .post(`/admin/polls/meetings/${world.meeting.id}`)
        .header('host', browser.host)
        .header('cookie', browser.cookie)
        .header('accept', 'text/html')
        .header('referer', `http://${browser.host}${browser.page}`)
        .form(
          `_csrf=${encodeURIComponent(browser.csrf!)}&agenda_item=${world.item.id}&title=Vote&method_name=simple` +
            `&proposals[]=${proposals[0].id}&secret=1${extra}`
        )
        .redirects(0)
    const automatic = await create('&receipt_mode=')
    assert.equal(automatic.status(), 302, automatic.text().slice(0, 300))
    const autoId = Number(/\/admin\/polls\/(\d+)/.exec(redirectedTo(automatic)!)![1])
    assert.equal(
      (await Poll.findInOrganisation(world.organisation.id, autoId))!.receiptMode,
      'inclusion'
    )
    await visit(browser, `/admin/polls/meetings/${world.meeting.id}`)
    const content = await create('&receipt_mode=content')
    const contentId = Number(/\/admin\/polls\/(\d+)/.exec(redirectedTo(content)!)![1])
    assert.equal(
      (await Poll.findInOrganisation(world.organisation.id, contentId))!.receiptMode,
      'content'
    )

    const show = await visit(browser, `/admin/polls/${contentId}`)
    assert.match(show.text(), /<option value="content" selected>/)
    assert.include(show.text(), 'a voter can prove how they voted')
    const saved = await submit(browser, `/admin/polls/${contentId}`, {
      title: 'Vote',
      secret: '1',
      receipt_mode: 'inclusion',
    })
    assert.equal(saved.status(), 302)
    assert.equal(
      (await Poll.findInOrganisation(world.organisation.id, contentId))!.receiptMode,
      'inclusion'
    )
    await visit(browser, `/admin/polls/${contentId}`)
    await submit(browser, `/admin/polls/${contentId}`, {
      title: 'Vote',
      secret: '1',
      receipt_mode: 'sometimes',
    })
    assert.equal(
      (await Poll.findInOrganisation(world.organisation.id, contentId))!.receiptMode,
      'inclusion'
    )
  })
})
