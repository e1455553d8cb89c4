import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import Meeting from '#models/meeting'
import ImportDialect from '#actions/dialects/import_dialect'
import { buildStructure } from '#services/meeting_structure'
import { systemActor } from '#services/audit_log'
import { parseStructure, renderStructure } from '#domain/meeting_structure/format'
import { givenRoles } from '#tests/helpers/meetings'
import { givenUser } from '#tests/helpers/world'
import { loginAdmin, submit, visit } from '#tests/helpers/admin'
import { givenProposals, pollWorld, tokenFor, type PollWorld } from '#tests/helpers/polls'

/** The meeting setting `default_secret_polls` (api.md §11.1). */
async function patchMeeting(client: any, world: PollWorld, token: string, body: unknown) {
  return world.as(token, client.patch(`/api/meetings/${world.meeting.id}`)).json(body)
}

async function newPoll(client: any, world: PollWorld, body: Record<string, unknown>) {
  const response = await world.as(world.moderatorToken, client.post('/api/polls')).json({
    agenda_item: world.item.id,
    title: 'Poll',
    method_name: 'simple',
    proposals: [],
    ...body,
  })
  response.assertStatus(201)
  return { poll: response.body() }
}

test.group('Meetings | default_secret_polls', () => {
  test('defaults to true, is shown in the meeting, changed by PATCH and audited', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const shown = await world.as(
      world.moderatorToken,
      client.get(`/api/meetings/${world.meeting.id}`)
    )
    assert.isTrue(shown.body().default_secret_polls)

    const changed = await patchMeeting(client, world, world.moderatorToken, {
      default_secret_polls: false,
    })
    changed.assertStatus(200)
    assert.isFalse(changed.body().default_secret_polls)
    assert.isFalse(
      (await Meeting.findInOrganisation(world.organisation.id, world.meeting.id))!
        .defaultSecretPolls
    )
    const entry = await AuditEntry.forOrganisation(world.organisation.id)
      .where('event', 'meeting.updated')
      .where('object_id', String(world.meeting.id))
      .orderBy('id', 'desc')
      .firstOrFail()
    assert.deepEqual(entry.changes, { default_secret_polls: [true, false] })

    // A second identical PATCH is a no-op: nothing audited.
    const count = async () =>
      (await AuditEntry.forOrganisation(world.organisation.id).where('event', 'meeting.updated'))
        .length
    const before = await count()
    ;(
      await patchMeeting(client, world, world.moderatorToken, { default_secret_polls: false })
    ).assertStatus(200)
    assert.equal(await count(), before)
  })

  test("a new poll's secret follows the setting; an explicit value wins", async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    assert.isTrue((await newPoll(client, world, {})).poll.secret)
    assert.isFalse((await newPoll(client, world, { secret: false })).poll.secret)

    await patchMeeting(client, world, world.moderatorToken, { default_secret_polls: false })
    const open = (await newPoll(client, world, {})).poll
    assert.isFalse(open.secret)
    // The receipt mode follows the secrecy the poll got (docs/polls.md).
    assert.equal(open.receipt_mode, 'content')
    const explicit = (await newPoll(client, world, { secret: true })).poll
    assert.isTrue(explicit.secret)
    assert.equal(explicit.receipt_mode, 'inclusion')
    // Started at creation as well.
    const [proposal] = await givenProposals(world.item, 1)
    const started = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Now',
      method_name: 'simple',
      proposals: [proposal.id],
      start: true,
    })
    started.assertStatus(201)
    assert.deepInclude(started.body(), { state: 'ongoing', secret: false })
  })

  test('bad input is a 422 naming the field; POST /api/meetings accepts it too', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    for (const value of ['maybe', 7, { on: true }, [true]]) {
      const bad = await patchMeeting(client, world, world.moderatorToken, {
        default_secret_polls: value,
      })
      bad.assertStatus(422)
      assert.equal(bad.body().errors[0].field, 'default_secret_polls', JSON.stringify(value))
    }
    const creator = await givenUser(world.organisation, { roles: ['meeting_creator'] })
    const created = await world
      .as(await tokenFor(creator), client.post('/api/meetings'))
      .json({ title: 'Open by default', default_secret_polls: false })
    created.assertStatus(201)
    assert.isFalse(created.body().default_secret_polls)
    const refused = await world
      .as(await tokenFor(creator), client.post('/api/meetings'))
      .json({ title: 'Bad', default_secret_polls: 'sometimes' })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'default_secret_polls')
  })

  test('only a moderator may change it', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 1 })
    const manager = await givenUser(world.organisation, { roles: ['org_manager'] })
    await givenRoles(world.meeting, manager, ['pa'])
    for (const token of [world.tokens[0], await tokenFor(manager)]) {
      const refused = await patchMeeting(client, world, token, { default_secret_polls: false })
      refused.assertStatus(403)
    }
    assert.isTrue(
      (await Meeting.findInOrganisation(world.organisation.id, world.meeting.id))!
        .defaultSecretPolls
    )
  })

  test('admin: the meeting form changes it and the poll form starts from it', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const browser = await loginAdmin(client, world.host, world.moderator)
    const form = await visit(browser, `/admin/polls/meetings/${world.meeting.id}`)
    assert.match(form.text(), /name="secret"[^>]*checked/)

    await visit(browser, `/admin/meetings/${world.meeting.id}`)
    const saved = await submit(browser, `/admin/meetings/${world.meeting.id}`, {
      title: world.meeting.title,
    })
    assert.equal(saved.status(), 302)
    assert.isFalse(
      (await Meeting.findInOrganisation(world.organisation.id, world.meeting.id))!
        .defaultSecretPolls
    )
    const page = await visit(browser, `/admin/meetings/${world.meeting.id}`)
    assert.match(page.text(), /name="default_secret_polls"/)
    assert.notMatch(page.text(), /name="default_secret_polls"[^>]*checked/)
    const unchecked = await visit(browser, `/admin/polls/meetings/${world.meeting.id}`)
    assert.notMatch(unchecked.text(), /name="secret"[^>]*checked/)

    await visit(browser, `/admin/meetings/${world.meeting.id}`)
    await submit(browser, `/admin/meetings/${world.meeting.id}`, {
      title: world.meeting.title,
      default_secret_polls: '1',
    })
    assert.isTrue(
      (await Meeting.findInOrganisation(world.organisation.id, world.meeting.id))!
        .defaultSecretPolls
    )
  })

  test('meeting structure files carry it; older files without it mean true', async ({ assert }) => {
    const world = await pollWorld({ voters: 0 })
    world.meeting.defaultSecretPolls = false
    await world.meeting.save()
    const content = await buildStructure(world.meeting)
    assert.isFalse(content.meeting.default_secret_polls)
    const parsed = parseStructure(renderStructure(content, 'secret'))
    assert.isTrue(parsed.ok)
    if (parsed.ok) assert.isFalse(parsed.file.meeting.default_secret_polls)

    const older: Partial<typeof content.meeting> = { ...content.meeting }
    delete older.default_secret_polls
    const old = parseStructure(renderStructure({ ...content, meeting: older as any }, 'secret'))
    assert.isTrue(old.ok)
    if (old.ok) assert.isTrue(old.file.meeting.default_secret_polls)
  })

  test('a dialect may set it when installed; without the key it is left alone', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 0 })
    const creator = await givenUser(world.organisation, { roles: ['meeting_creator'] })
    const token = await tokenFor(creator)
    await new ImportDialect().execute({
      organisation: world.organisation,
      name: 'open_votes',
      yaml: 'title: Open votes\nrequires: [association_agm]\ndefault_secret_polls: false\n',
      actor: systemActor('cli'),
    })
    const open = await world
      .as(token, client.post('/api/meetings'))
      .json({ title: 'Open', install_dialect: 'open_votes' })
    open.assertStatus(201)
    assert.isFalse(open.body().default_secret_polls)
    assert.isFalse(open.body().dialect.default_secret_polls)
    const plain = await world
      .as(token, client.post('/api/meetings'))
      .json({ title: 'Plain', install_dialect: 'association_agm' })
    plain.assertStatus(201)
    assert.isTrue(plain.body().default_secret_polls)
    const bad = await new ImportDialect()
      .execute({
        organisation: world.organisation,
        name: 'bad_votes',
        yaml: 'title: Bad\ndefault_secret_polls: often\n',
        actor: systemActor('cli'),
      })
      .catch((error) => error)
    assert.instanceOf(bad, Error)
    assert.include(JSON.stringify(bad), 'default_secret_polls')
  })
})
