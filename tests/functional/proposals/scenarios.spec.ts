import { test } from '@japa/runner'
import Proposal from '#models/proposal'
import TextDocument from '#models/text_document'
import AuditEntry from '#models/audit_entry'
import AgendaItem from '#models/agenda_item'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import {
  capture,
  fakePollUsage,
  givenGroup,
  givenItem,
  givenMember,
  givenRoles,
  moveMeeting,
} from '#tests/helpers/proposals'
import CreateMeeting from '#actions/meetings/create_meeting'
import { systemActor } from '#services/audit_log'

const cli = systemActor('cli')

async function ongoingMeeting(
  organisation: Awaited<ReturnType<typeof givenOrganisation>>['organisation'],
  moderator: any
) {
  const meeting = await new CreateMeeting().execute({
    organisation,
    title: 'M1',
    creator: moderator,
    erPolicyName: 'auto_before_poll',
    actor: cli,
  })
  return moveMeeting(meeting, 'ongoing')
}

test.group('Scenarios | proposals and text documents (scenarios.md §3)', () => {
  test('S11 proposal IDs are numbered per author base and meeting', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const a2 = await givenItem(m1, 'ongoing')
    const anna = await givenMember(client, organisation, host, m1, ['pr'], 'anna')
    const annabel = await givenMember(client, organisation, host, m1, ['pr'], 'annabel')
    const first = await asBrowser(client.post('/api/proposals'), annabel.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: '<p>Earlier</p>',
    })
    first.assertStatus(201)
    assert.equal(first.body().prop_id, 'annabel-1')

    const created = await capture(() =>
      asBrowser(client.post('/api/proposals'), anna.session).json({
        shortname: 'proposal',
        agenda_item: a1.id,
        body: '<p>Raise the fee</p>',
      })
    )
    created.result.assertStatus(201)
    assert.equal(created.result.body().state, 'published')
    assert.equal(created.result.body().prop_id, 'anna-1')
    assert.include(created.result.body().tags, 'anna-1')
    assert.sameMembers(
      created.messages
        .filter((message) => message.type === 'proposal.changed')
        .map((message) => message.channel),
      [`meetings/${m1.id}/participants`, `meetings/${m1.id}/moderators`]
    )

    const second = await asBrowser(client.post('/api/proposals'), anna.session).json({
      shortname: 'proposal',
      agenda_item: a2.id,
      body: '<p>Another</p>',
    })
    second.assertStatus(201)
    assert.equal(second.body().prop_id, 'anna-2')
  })

  test('S12 blocked proposals: proposers cannot add or retract, moderators can add', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const per = await givenMember(client, organisation, host, m1, ['pr'], 'per')
    const pr1 = await asBrowser(client.post('/api/proposals'), per.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: 'Mine',
    })
    pr1.assertStatus(201)
    a1.blockProposals = true
    await a1.save()

    const add = await asBrowser(client.post('/api/proposals'), per.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: '…',
    })
    add.assertStatus(403)
    const retract = await asBrowser(
      client.post(`/api/proposals/${pr1.body().id}/event`),
      per.session
    ).json({ event: 'retract' })
    retract.assertStatus(403)
    const byMia = await asBrowser(
      client.post('/api/proposals'),
      await loginBrowser(client, host, mia)
    ).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: 'Moderator proposal',
    })
    byMia.assertStatus(201)
    assert.equal(
      (await Proposal.findInOrganisation(organisation.id, pr1.body().id))!.state,
      'published'
    )
  })

  test('S13 who may retract a group proposal', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    let m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const ada = await givenMember(client, organisation, host, m1, ['pr'])
    const bo = await givenMember(client, organisation, host, m1, ['pr'])
    const cy = await givenMember(client, organisation, host, m1, ['pa'])
    const g = await givenGroup(m1, 'g', { members: [ada.user, bo.user, cy.user] })
    const miaSession = await loginBrowser(client, host, mia)

    const created = await asBrowser(client.post('/api/proposals'), ada.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: 'Group proposal',
      meeting_group: g.id,
    })
    created.assertStatus(201)
    const id = created.body().id
    for (const session of [ada.session, bo.session, miaSession]) {
      const events = await asBrowser(client.get(`/api/proposals/${id}/event`), session)
      events.assertStatus(200)
      const retract = events
        .body()
        .events.find((event: { name: string }) => event.name === 'retract')
      assert.isTrue(retract.allowed)
    }
    const byCy = await asBrowser(client.post(`/api/proposals/${id}/event`), cy.session).json({
      event: 'retract',
    })
    byCy.assertStatus(403)
    const byBo = await asBrowser(client.post(`/api/proposals/${id}/event`), bo.session).json({
      event: 'retract',
    })
    byBo.assertStatus(200)
    assert.equal(byBo.body().state, 'retracted')
    assert.equal(byBo.body().object.state, 'retracted')

    // Instead: a published proposal in a meeting that gets archived.
    const other = await asBrowser(client.post('/api/proposals'), ada.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: 'Second',
      meeting_group: g.id,
    })
    other.assertStatus(201)
    m1 = await moveMeeting(m1, 'archived')
    for (const session of [ada.session, bo.session, miaSession]) {
      const response = await asBrowser(
        client.post(`/api/proposals/${other.body().id}/event`),
        session
      ).json({ event: 'retract' })
      response.assertStatus(403)
    }
  })

  test('S14 a proposal used in a poll cannot be deleted, not even by a moderator', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const session = await loginBrowser(client, host, mia)
    const pr1 = await asBrowser(client.post('/api/proposals'), session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: 'P',
    })
    const stop = fakePollUsage({ any: [pr1.body().id] })
    try {
      const response = await asBrowser(client.delete(`/api/proposals/${pr1.body().id}`), session)
      response.assertStatus(403)
      assert.isNotNull(await Proposal.findInOrganisation(organisation.id, pr1.body().id))
    } finally {
      stop()
    }
    const unused = await asBrowser(client.delete(`/api/proposals/${pr1.body().id}`), session)
    unused.assertStatus(204)
    assert.isNull(await Proposal.findInOrganisation(organisation.id, pr1.body().id))
  })

  test('S15 a text document with an amendment is frozen', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const session = await loginBrowser(client, host, mia)
    const t1 = await asBrowser(client.post('/api/text-documents'), session).json({
      agenda_item: a1.id,
      title: 'Statutes',
      body: 'The fee is 10 euro.\n\nMembers meet yearly.',
      base_tag: 'doc',
    })
    t1.assertStatus(201)
    const amendment = await asBrowser(client.post('/api/proposals'), session).json({
      shortname: 'diff_proposal',
      agenda_item: a1.id,
      paragraph: t1.body().paragraphs[0].id,
      body: 'The fee is 12 euro.',
    })
    amendment.assertStatus(201)
    assert.equal(amendment.body().shortname, 'diff_proposal')
    assert.include(amendment.body().tags, 'doc-1')
    assert.equal(
      amendment.body().body_diff_brief,
      'The fee is <span class="text-diff-removed">10</span> <span class="text-diff-added">12</span> euro.'
    )

    const patch = await asBrowser(
      client.patch(`/api/text-documents/${t1.body().id}`),
      session
    ).json({ body: 'changed' })
    patch.assertStatus(403)
    const remove = await asBrowser(client.delete(`/api/text-documents/${t1.body().id}`), session)
    remove.assertStatus(403)
    const stored = await TextDocument.findInOrganisation(organisation.id, t1.body().id)
    assert.equal(stored!.body, 'The fee is 10 euro.\n\nMembers meet yearly.')
  })

  test('S16 text documents are split into tagged paragraphs', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const response = await asBrowser(
      client.post('/api/text-documents'),
      await loginBrowser(client, host, mia)
    ).json({
      agenda_item: a1.id,
      title: 'Statutes',
      body: 'A\n\nB\nC',
      base_tag: 'doc',
    })
    response.assertStatus(201)
    assert.deepEqual(
      response
        .body()
        .paragraphs.map(({ paragraph_id, body, tag }: any) => ({ paragraph_id, body, tag })),
      [
        { paragraph_id: 1, body: 'A', tag: 'doc-1' },
        { paragraph_id: 2, body: 'B\nC', tag: 'doc-2' },
      ]
    )
  })
})

test.group('Scenarios | journeys (scenarios.md §9)', () => {
  test('S60 proposals and discussion (preview, create, tagged post, retract)', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const pia = await givenMember(client, organisation, host, m1, ['pr', 'di'], 'pia')

    const preview = await asBrowser(client.post('/api/proposals/preview'), pia.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: '<p>Plant trees</p>',
      tags: [],
    })
    preview.assertStatus(200)
    assert.equal(preview.body().prop_id, 'pia-1')
    assert.notProperty(preview.body(), 'id')
    assert.notProperty(preview.body(), 'created')
    assert.notProperty(preview.body(), 'shortname')
    assert.equal(
      await Proposal.forOrganisation(organisation.id)
        .where('meeting_id', m1.id)
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      0
    )

    // The capture stays open 3.5 s: the debounced agenda_item.changed (related_modified) follows.
    const created = await capture(async () => {
      const response = await asBrowser(client.post('/api/proposals'), pia.session).json({
        shortname: 'proposal',
        agenda_item: a1.id,
        body: '<p>Plant trees</p>',
        tags: [],
      })
      await new Promise((resolve) => setTimeout(resolve, 3500))
      return response
    })
    created.result.assertStatus(201)
    const itemChanges = created.messages.filter(
      (message) => message.type === 'agenda_item.changed' && (message.data as any).id === a1.id
    )
    assert.sameMembers(
      itemChanges.map((message) => message.channel),
      [`meetings/${m1.id}/participants`, `meetings/${m1.id}/moderators`]
    )
    assert.isNotNull((itemChanges[0].data as any).related_modified)
    assert.equal(created.result.body().prop_id, 'pia-1')
    assert.isTrue(
      created.messages.some(
        (message) =>
          message.type === 'proposal.changed' && (message.data as any).prop_id === 'pia-1'
      )
    )
    const item = await AgendaItem.findInOrganisation(organisation.id, a1.id)
    assert.isNotNull(item!.relatedModified)

    const post = await capture(() =>
      asBrowser(client.post('/api/discussion-posts'), pia.session).json({
        agenda_item: a1.id,
        body: '<p>Agree with #pia-1</p>',
      })
    )
    post.result.assertStatus(201)
    assert.include(post.result.body().tags, 'pia-1')
    const pushed = post.messages.find((message) => message.type === 'discussion_post.changed')!
    assert.equal(pushed.channel, `meetings/${m1.id}/agenda-items/${a1.id}`)
    // The post is listed as a comment on the proposal through its tag.
    const comments = await asBrowser(
      client.get(`/api/discussion-posts?agenda_item=${a1.id}&tags=pia-1`),
      pia.session
    )
    comments.assertStatus(200)
    assert.deepEqual(
      comments.body().data.map((row: { id: number }) => row.id),
      [post.result.body().id]
    )

    const retract = await capture(() =>
      asBrowser(client.post(`/api/proposals/${created.result.body().id}/event`), pia.session).json({
        event: 'retract',
      })
    )
    retract.result.assertStatus(200)
    const change = retract.messages.find((message) => message.type === 'proposal.changed')!
    assert.equal((change.data as any).state, 'retracted')
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'proposal.retract')
      .where('object_id', String(created.result.body().id))
    assert.lengthOf(audit, 1)
    assert.deepEqual(audit[0].changes, { state: ['published', 'retracted'] })
  })

  test('S65 reactions', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const miaSession = await loginBrowser(client, host, mia)
    const pia = await givenMember(client, organisation, host, m1, ['pa'])
    const pr1 = await asBrowser(client.post('/api/proposals'), miaSession).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: 'P',
    })

    const button = await capture(() =>
      asBrowser(client.post('/api/reaction-buttons'), miaSession).json({
        meeting: m1.id,
        title: 'Support',
        icon: 'mdi-thumb-up',
        color: 'green',
        flag_mode: false,
        allowed_models: ['proposal'],
        change_roles: ['pa'],
        list_roles: ['mo'],
        on_presentation: true,
        on_vote: false,
        vote_template: false,
      })
    )
    button.result.assertStatus(201)
    const b = button.result.body().id
    assert.deepEqual(
      button.messages
        .filter((m) => m.type.startsWith('reaction_button'))
        .map((m) => `${m.channel} ${m.type}`),
      [`meetings/${m1.id} reaction_button.changed`]
    )

    const set = await capture(() =>
      asBrowser(client.post(`/api/reaction-buttons/${b}/set`), pia.session).json({
        content_type: 'proposal',
        object_id: pr1.body().id,
      })
    )
    set.result.assertStatus(201)
    const count = set.messages.find((m) => m.type === 'reaction.count')!
    assert.equal(count.channel, `meetings/${m1.id}/agenda-items/${a1.id}`)
    assert.deepInclude(count.data as object, { button: b, object_id: pr1.body().id, count: 1 })
    assert.isTrue(
      set.messages.some(
        (m) => m.type === 'reaction.changed' && m.channel === `users/${pia.user.id}`
      )
    )
    const again = await asBrowser(client.post(`/api/reaction-buttons/${b}/set`), pia.session).json({
      content_type: 'proposal',
      object_id: pr1.body().id,
    })
    again.assertStatus(200)

    const listed = await asBrowser(
      client.get(
        `/api/reaction-buttons/${b}/reactions?content_type=proposal&object_id=${pr1.body().id}`
      ),
      miaSession
    )
    listed.assertStatus(200)
    assert.deepEqual(listed.body().users, [pia.user.id])
    const refused = await asBrowser(
      client.get(
        `/api/reaction-buttons/${b}/reactions?content_type=proposal&object_id=${pr1.body().id}`
      ),
      pia.session
    )
    refused.assertStatus(403)

    const removed = await capture(() =>
      asBrowser(client.post(`/api/reaction-buttons/${b}/remove`), pia.session).json({
        content_type: 'proposal',
        object_id: pr1.body().id,
      })
    )
    removed.result.assertStatus(204)
    assert.deepInclude(removed.messages.find((m) => m.type === 'reaction.count')!.data as object, {
      count: 0,
    })
    assert.isTrue(
      removed.messages.some(
        (m) => m.type === 'reaction.deleted' && m.channel === `users/${pia.user.id}`
      )
    )
    const idempotent = await asBrowser(
      client.post(`/api/reaction-buttons/${b}/remove`),
      pia.session
    ).json({ content_type: 'proposal', object_id: pr1.body().id })
    idempotent.assertStatus(204)
  })

  test('S67 posting a proposal as a group uses the group id', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const m1 = await ongoingMeeting(organisation, mia)
    const a1 = await givenItem(m1, 'ongoing')
    const per = await givenMember(client, organisation, host, m1, ['pr'], 'per')
    const board = await givenGroup(m1, 'board', { postAs: true, members: [per.user] })
    const youth = await givenGroup(m1, 'youth', { postAs: false, members: [per.user] })
    const response = await asBrowser(client.post('/api/proposals'), per.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: '<p>From the board</p>',
      author: per.user.id,
      meeting_group: board.id,
      as_group: true,
    })
    response.assertStatus(201)
    assert.include(response.body(), {
      meeting_group: board.id,
      as_group: true,
      prop_id: 'board-1',
      author: per.user.id,
    })
    const refused = await asBrowser(client.post('/api/proposals'), per.session).json({
      shortname: 'proposal',
      agenda_item: a1.id,
      body: 'x',
      meeting_group: youth.id,
      as_group: true,
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'as_group')
    await givenRoles(m1, per.user, ['di'])
    const post = await asBrowser(client.post('/api/discussion-posts'), per.session).json({
      agenda_item: a1.id,
      body: 'As the board',
      meeting_group: board.id,
      as_group: true,
    })
    post.assertStatus(201)
    assert.include(post.body(), { meeting_group: board.id, as_group: true })
  })
})
