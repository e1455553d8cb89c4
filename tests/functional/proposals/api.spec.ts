import { test } from '@japa/runner'
import Proposal from '#models/proposal'
import AuditEntry from '#models/audit_entry'
import Note from '#models/note'
import CreateMeeting from '#actions/meetings/create_meeting'
import SetProposalStates from '#actions/proposals/set_proposal_states'
import CreateProposal from '#actions/proposals/create_proposal'
import db from '@adonisjs/lucid/services/db'
import { systemActor } from '#services/audit_log'
import { proposalStates } from '#domain/proposals/state_machine'
import {
  asBearer,
  asBrowser,
  createToken,
  givenOrganisation,
  givenUser,
  loginBrowser,
} from '#tests/helpers/world'
import {
  capture,
  enableNotes,
  fakePollUsage,
  givenItem,
  givenMember,
  moveMeeting,
} from '#tests/helpers/proposals'

const cli = systemActor('cli')

async function world(client: any, options: { proposalIdPolicyName?: string } = {}) {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation)
  let meeting = await new CreateMeeting().execute({
    organisation,
    title: 'M1',
    creator: mia,
    erPolicyName: 'auto_before_poll',
    proposalIdPolicyName: options.proposalIdPolicyName ?? null,
    actor: cli,
  })
  meeting = await moveMeeting(meeting, 'ongoing')
  const item = await givenItem(meeting, 'ongoing')
  const moderator = await loginBrowser(client, host, mia)
  return { organisation, host, mia, meeting, item, moderator }
}

test.group('Proposals | rich text is stored clean (domain §4.4)', () => {
  test('script injection, event handlers and javascript: links are removed from proposals and posts', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item } = await world(client)
    const pia = await givenMember(client, organisation, host, meeting, ['pr', 'di'], 'pia')
    const hostile =
      '<p onclick="steal()">Hello<script>alert(1)</script> <a href="javascript:alert(2)">click</a> ' +
      '<a href="https://example.org" onmouseover="x()">ok</a><img src=x onerror="alert(3)"><iframe src="https://evil"></iframe>' +
      '<style>p{}</style><span class="mention evil" data-id="1" style="color:red">@x</span></p>'
    const proposal = await asBrowser(client.post('/api/proposals'), pia.session).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: hostile,
    })
    proposal.assertStatus(201)
    const post = await asBrowser(client.post('/api/discussion-posts'), pia.session).json({
      agenda_item: item.id,
      body: hostile,
    })
    post.assertStatus(201)
    const stored = await Proposal.findInOrganisation(organisation.id, proposal.body().id)
    for (const body of [stored!.body, post.body().body]) {
      assert.notMatch(
        body,
        /<script|alert\(1\)|onclick|onmouseover|onerror|javascript:|<iframe|<style|<img|style=/i
      )
      assert.include(body, '<a href="https://example.org" rel="noopener noreferrer">ok</a>')
      assert.include(body, '<span class="mention" data-id="1">@x</span>')
    }
    assert.equal(stored!.title, 'Hello click ok@x')
  })

  test('mentions keep only participants; hashtags and extra tags become tags', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator } = await world(client)
    const pia = await givenMember(client, organisation, host, meeting, ['pr'], 'pia')
    const outsider = await givenUser(organisation)
    const body =
      `<p>Ping <span class="mention" data-id="${pia.user.id}" data-denotation-char="@" data-value="pia">@pia</span> ` +
      `and <span class="mention" data-id="${outsider.id}" data-denotation-char="@" data-value="x">@x</span> about #Budget</p>`
    const response = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body,
      tags: ['#Extra'],
    })
    response.assertStatus(201)
    assert.deepEqual(response.body().mentions, [pia.user.id])
    assert.includeMembers(response.body().tags, ['budget', 'extra', response.body().prop_id])
  })

  test('an empty body after sanitising is a 422 on body', async ({ client, assert }) => {
    const { item, moderator } = await world(client)
    const response = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: '<script>alert(1)</script>',
    })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'body')
  })
})

test.group('Proposals | versions and diffs (B-ADD-08)', () => {
  test('every body edit keeps the previous version; diff between any two', async ({
    client,
    assert,
  }) => {
    const { organisation, item, moderator, mia } = await world(client)
    const created = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: '<p>The fee is 10 euro</p>',
    })
    const id = created.body().id
    const first = await asBrowser(client.patch(`/api/proposals/${id}`), moderator).json({
      body: '<p>The fee is 12 euro</p>',
    })
    first.assertStatus(200)
    assert.equal(first.body().rev, 2)
    // Tags only: no new version.
    await asBrowser(client.patch(`/api/proposals/${id}`), moderator)
      .json({ tags: ['money'] })
      .then((r) => r.assertStatus(200))
    await asBrowser(client.patch(`/api/proposals/${id}`), moderator)
      .json({ body: '<p>The yearly fee is 12 euro</p>' })
      .then((r) => r.assertStatus(200))

    const versions = await asBrowser(client.get(`/api/proposals/${id}/versions`), moderator)
    versions.assertStatus(200)
    assert.deepEqual(
      versions.body().data.map((v: any) => [v.version, v.body, v.editor]),
      [
        [1, '<p>The fee is 10 euro</p>', mia.id],
        [2, '<p>The fee is 12 euro</p>', mia.id],
        [3, '<p>The yearly fee is 12 euro</p>', mia.id],
      ]
    )
    const diff = await asBrowser(client.get(`/api/proposals/${id}/diff?from=1&to=3`), moderator)
    diff.assertStatus(200)
    assert.deepEqual(diff.body(), {
      from: 1,
      to: 3,
      html: 'The <span class="text-diff-added">yearly</span> fee is <span class="text-diff-removed">10</span> <span class="text-diff-added">12</span> euro',
    })
    const missing = await asBrowser(client.get(`/api/proposals/${id}/diff?from=1&to=9`), moderator)
    missing.assertStatus(422)
    assert.equal(missing.body().errors[0].field, 'to')
    const stored = await Proposal.findInOrganisation(organisation.id, id)
    assert.includeMembers(stored!.tags, ['money', stored!.propId])
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'proposal.updated')
      .where('object_id', String(id))
      .orderBy('id')
    assert.lengthOf(audit, 3)
    assert.deepEqual(audit[0].changes.body, [
      '<p>The fee is 10 euro</p>',
      '<p>The fee is 12 euro</p>',
    ])
    assert.deepEqual(Object.keys(audit[1].changes), ['tags'])
  })
})

test.group('Proposals | state machine over HTTP (domain §9.4)', () => {
  test('a moderator gets 200 for every allowed and 422 for every forbidden event from every state', async ({
    client,
    assert,
  }) => {
    const { organisation, item, moderator } = await world(client)
    const created = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: 'P',
    })
    const id = created.body().id
    const allowed: Record<string, string[]> = {
      retract: ['published'],
      lock_for_vote: ['published', 'retracted'],
      approve: ['published', 'voting', 'denied'],
      deny: ['published', 'voting', 'approved'],
      mark_unhandled: ['published'],
      publish: ['retracted', 'voting', 'approved', 'denied', 'unhandled'],
    }
    for (const state of proposalStates) {
      for (const [event, sources] of Object.entries(allowed)) {
        await db.from('proposals').where('id', id).update({ state })
        const response = await asBrowser(client.post(`/api/proposals/${id}/event`), moderator).json(
          { event }
        )
        if (sources.includes(state)) {
          response.assertStatus(200)
        } else {
          response.assertStatus(422)
          assert.equal(
            response.body().errors[0].code,
            'transition.unavailable',
            `${event} from ${state}`
          )
          const stored = await Proposal.findInOrganisation(organisation.id, id)
          assert.equal(stored!.state, state)
        }
      }
    }
    const unknown = await asBrowser(client.post(`/api/proposals/${id}/event`), moderator).json({
      event: 'explode',
    })
    unknown.assertStatus(422)
  })

  test('D23: manual events are refused while an upcoming/ongoing poll locks the proposal', async ({
    client,
    assert,
  }) => {
    const { item, moderator } = await world(client)
    const created = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: 'P',
    })
    const stop = fakePollUsage({ active: [created.body().id] })
    try {
      const response = await asBrowser(
        client.post(`/api/proposals/${created.body().id}/event`),
        moderator
      ).json({ event: 'approve' })
      response.assertStatus(422)
      assert.equal(response.body().errors[0].code, 'proposal.locked_by_poll')
      const events = await asBrowser(
        client.get(`/api/proposals/${created.body().id}/event`),
        moderator
      )
      assert.isFalse(events.body().events.find((e: any) => e.name === 'approve').allowed)
    } finally {
      stop()
    }
  })

  test('SetProposalStates: forced changes skip impossible ones; D24 keeps voting while another poll locks', async ({
    client,
    assert,
  }) => {
    const { organisation, item, moderator } = await world(client)
    const ids: number[] = []
    for (const body of ['a', 'b', 'c']) {
      const response = await asBrowser(client.post('/api/proposals'), moderator).json({
        shortname: 'proposal',
        agenda_item: item.id,
        body,
      })
      ids.push(response.body().id)
    }
    await db.from('proposals').where('id', ids[2]).update({ state: 'unhandled' })
    const { result, messages } = await capture(() =>
      db.transaction((trx) =>
        new SetProposalStates().execute({
          trx,
          organisationId: organisation.id,
          targets: ids.map((proposal) => ({ proposal, state: 'voting' as const })),
          actor: cli,
        })
      )
    )
    assert.deepEqual(
      result.map((p) => p.id),
      [ids[0], ids[1]],
      'unhandled → voting is not a machine transition'
    )
    assert.lengthOf(
      messages.filter((m) => m.type === 'proposal.changed'),
      4
    )
    const stop = fakePollUsage({ active: [ids[1]] })
    try {
      const released = await db.transaction((trx) =>
        new SetProposalStates().execute({
          trx,
          organisationId: organisation.id,
          targets: [ids[0], ids[1]].map((proposal) => ({ proposal, state: 'published' as const })),
          actor: cli,
          releasingPollId: 99,
        })
      )
      assert.deepEqual(
        released.map((p) => p.id),
        [ids[0]]
      )
    } finally {
      stop()
    }
    const audit = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'proposal.lock_for_vote'
    )
    assert.lengthOf(audit, 2)
  })

  test('D17: archiving the meeting sets published and voting proposals to unhandled', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting, item, moderator } = await world(client)
    const ids: number[] = []
    for (const body of ['a', 'b', 'c']) {
      const response = await asBrowser(client.post('/api/proposals'), moderator).json({
        shortname: 'proposal',
        agenda_item: item.id,
        body,
      })
      ids.push(response.body().id)
    }
    await db.from('proposals').where('id', ids[1]).update({ state: 'voting' })
    await db.from('proposals').where('id', ids[2]).update({ state: 'approved' })
    await moveMeeting(meeting, 'archived')
    const states = await Proposal.forOrganisation(organisation.id).whereIn('id', ids).orderBy('id')
    assert.deepEqual(
      states.map((p) => p.state),
      ['unhandled', 'unhandled', 'approved']
    )
    // published → unhandled is the machine's mark_unhandled; voting → unhandled is the direct write.
    const audit = await AuditEntry.forOrganisation(organisation.id).whereIn('event', [
      'proposal.state_set',
      'proposal.mark_unhandled',
    ])
    assert.deepEqual(
      audit
        .map((entry) => [Number(entry.objectId), entry.event])
        .sort((a, b) => Number(a[0]) - Number(b[0])),
      [
        [ids[0], 'proposal.mark_unhandled'],
        [ids[1], 'proposal.state_set'],
      ]
    )
  })
})

test.group('Proposals | id policies and concurrency (domain §9.6)', () => {
  test('50 parallel creations in one meeting get 50 distinct ids', async ({ client, assert }) => {
    const { organisation, host, meeting, item } = await world(client)
    const pia = await givenMember(client, organisation, host, meeting, ['pr'], 'pia')
    const token = await createToken(client, pia.session)
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        asBearer(client.post('/api/proposals'), host, token).json({
          shortname: 'proposal',
          agenda_item: item.id,
          body: `Proposal ${index}`,
        })
      )
    )
    for (const response of responses) response.assertStatus(201)
    const ids = responses.map((response) => response.body().prop_id)
    assert.lengthOf(new Set(ids), 50)
    assert.sameMembers(
      ids,
      Array.from({ length: 50 }, (_, index) => `pia-${index + 1}`)
    )
  }).timeout(120_000)

  test('a lost race on the unique index (meeting, prop_id) retries with the next number', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting, item, mia, moderator } = await world(client)
    mia.userid = 'mia'
    await mia.save()
    const first = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: 'one',
    })
    assert.equal(first.body().prop_id, 'mia-1')
    // Another process allocated mia-1 after our read: the first attempt uses the stale number.
    class StaleRead extends CreateProposal {
      attempts = 0
      async nextId(...args: Parameters<CreateProposal['nextId']>) {
        this.attempts++
        return this.attempts === 1 ? 'mia-1' : super.nextId(...args)
      }
    }
    const action = new StaleRead()
    const proposal = await action.execute({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      shortname: 'proposal',
      body: 'two',
      authorship: {},
      actor: cli,
    })
    assert.equal(action.attempts, 2)
    assert.equal(proposal.propId, 'mia-2')
    const rows = await Proposal.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    assert.deepEqual(
      rows.map((row) => row.propId),
      ['mia-1', 'mia-2']
    )
    const versions = await db.from('proposal_versions').where('proposal_id', proposal.id)
    assert.lengthOf(versions, 1, 'the failed attempt left nothing behind')
  })

  test('sequential and agenda_item policies', async ({ client, assert }) => {
    const sequential = await world(client, { proposalIdPolicyName: 'sequential' })
    for (const expected of ['P-1', 'P-2']) {
      const response = await asBrowser(client.post('/api/proposals'), sequential.moderator).json({
        shortname: 'proposal',
        agenda_item: sequential.item.id,
        body: 'x',
      })
      assert.equal(response.body().prop_id, expected)
    }
    const byItem = await world(client, { proposalIdPolicyName: 'agenda_item' })
    const second = await givenItem(byItem.meeting, 'ongoing')
    const a = await asBrowser(client.post('/api/proposals'), byItem.moderator).json({
      shortname: 'proposal',
      agenda_item: second.id,
      body: 'x',
    })
    const b = await asBrowser(client.post('/api/proposals'), byItem.moderator).json({
      shortname: 'proposal',
      agenda_item: byItem.item.id,
      body: 'x',
    })
    const c = await asBrowser(client.post('/api/proposals'), byItem.moderator).json({
      shortname: 'proposal',
      agenda_item: second.id,
      body: 'x',
    })
    assert.deepEqual([a.body().prop_id, b.body().prop_id, c.body().prop_id], ['2-1', '1-1', '2-2'])
  })
})

test.group('Discussion, reactions, notes, exports', () => {
  test('discussion posts: authors may delete their own, only moderators edit; lists filter by tags', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator } = await world(client)
    const di = await givenMember(client, organisation, host, meeting, ['di'])
    const other = await givenMember(client, organisation, host, meeting, ['di'])
    const post = await asBrowser(client.post('/api/discussion-posts'), di.session).json({
      agenda_item: item.id,
      body: 'Hi #topic',
    })
    post.assertStatus(201)
    const editByAuthor = await asBrowser(
      client.patch(`/api/discussion-posts/${post.body().id}`),
      di.session
    ).json({ body: 'x' })
    editByAuthor.assertStatus(403)
    const edit = await asBrowser(
      client.patch(`/api/discussion-posts/${post.body().id}`),
      moderator
    ).json({ body: 'Edited #other' })
    edit.assertStatus(200)
    assert.deepEqual(edit.body().tags, ['other'])
    const byOther = await asBrowser(
      client.delete(`/api/discussion-posts/${post.body().id}`),
      other.session
    )
    byOther.assertStatus(403)
    const list = await asBrowser(
      client.get(`/api/discussion-posts?meeting=${meeting.id}&tags=other`),
      other.session
    )
    assert.deepEqual(
      list.body().data.map((p: any) => p.id),
      [post.body().id]
    )
    const del = await asBrowser(
      client.delete(`/api/discussion-posts/${post.body().id}`),
      di.session
    )
    del.assertStatus(204)
    const events = await AuditEntry.forOrganisation(organisation.id)
      .where('model', 'DiscussionPost')
      .orderBy('id')
    assert.deepEqual(
      events.map((e) => e.event),
      ['discussion_post.created', 'discussion_post.updated', 'discussion_post.deleted']
    )
  })

  test('flag mode: one reaction per object whoever sets it; only moderators; any moderator clears', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator } = await world(client)
    const mo2 = await givenMember(client, organisation, host, meeting, ['mo'])
    const pa = await givenMember(client, organisation, host, meeting, ['pa'])
    const proposal = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: 'P',
    })
    const button = await asBrowser(client.post('/api/reaction-buttons'), moderator).json({
      meeting: meeting.id,
      title: 'Flag',
      flag_mode: true,
      change_roles: ['pa'],
    })
    button.assertStatus(201)
    const target = { content_type: 'proposal', object_id: proposal.body().id }
    const b = button.body().id
    ;(
      await asBrowser(client.post(`/api/reaction-buttons/${b}/set`), pa.session).json(target)
    ).assertStatus(403)
    ;(
      await asBrowser(client.post(`/api/reaction-buttons/${b}/set`), moderator).json(target)
    ).assertStatus(201)
    const second = await asBrowser(client.post(`/api/reaction-buttons/${b}/set`), mo2.session).json(
      target
    )
    second.assertStatus(200)
    assert.equal(
      second.body().user,
      (
        await AuditEntry.forOrganisation(organisation.id)
          .where('event', 'reaction.set')
          .firstOrFail()
      ).actorUserId
    )
    ;(
      await asBrowser(client.post(`/api/reaction-buttons/${b}/remove`), mo2.session).json(target)
    ).assertStatus(204)
    const left = await db.from('reactions').where('button_id', b).count('* as n')
    assert.equal(Number(left[0].n), 0)
    const duplicate = await asBrowser(client.post('/api/reaction-buttons'), moderator).json({
      meeting: meeting.id,
      title: 'FLAG',
    })
    duplicate.assertStatus(422)
    assert.equal(duplicate.body().errors[0].field, 'title')
    const wrongType = await asBrowser(client.patch(`/api/reaction-buttons/${b}`), moderator).json({
      allowed_models: ['discussion_post'],
    })
    wrongType.assertStatus(200)
    const refused = await asBrowser(client.post(`/api/reaction-buttons/${b}/set`), moderator).json(
      target
    )
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'content_type')
  })

  test('notes: upsert, only the owner sees them, component required, content masked in the audit', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator } = await world(client)
    const pa = await givenMember(client, organisation, host, meeting, ['pa'])
    const proposal = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: 'P',
    })
    const disabled = await asBrowser(client.post('/api/notes'), pa.session).json({
      proposal: proposal.body().id,
      body: 'x',
      intent: 'a',
    })
    disabled.assertStatus(403)
    await enableNotes(meeting)
    const created = await asBrowser(client.post('/api/notes'), pa.session).json({
      proposal: proposal.body().id,
      body: 'secret',
      intent: 'a',
    })
    created.assertStatus(201)
    const updated = await asBrowser(client.post('/api/notes'), pa.session).json({
      proposal: proposal.body().id,
      intent: '',
    })
    updated.assertStatus(200)
    assert.include(updated.body(), { id: created.body().id, body: 'secret', intent: '' })
    const foreign = await asBrowser(
      client.patch(`/api/notes/${created.body().id}`),
      moderator
    ).json({ body: 'hack' })
    foreign.assertStatus(404)
    const mine = await asBrowser(client.get(`/api/notes?meeting=${meeting.id}`), moderator)
    assert.deepEqual(mine.body().data, [])
    const theirs = await asBrowser(client.get(`/api/notes?meeting=${meeting.id}`), pa.session)
    assert.lengthOf(theirs.body().data, 1)
    const audit = await AuditEntry.forOrganisation(organisation.id).where('model', 'Note')
    assert.isFalse(JSON.stringify(audit.map((a) => a.changes)).includes('secret'))
    const all = await asBrowser(client.post('/api/notes/delete-all'), pa.session).json({
      meeting: meeting.id,
    })
    assert.deepEqual(all.body(), { deleted: 1 })
    assert.equal(
      await Note.forOrganisation(organisation.id)
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      0
    )
  })

  test('exports of proposals and posts as CSV and JSON, moderators only, audited as access', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator } = await world(client)
    const pia = await givenMember(client, organisation, host, meeting, ['pr', 'di'], 'pia')
    await asBrowser(client.post('/api/proposals'), pia.session).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: '<p>Plant, "trees"</p>',
    })
    await asBrowser(client.post('/api/discussion-posts'), pia.session).json({
      agenda_item: item.id,
      body: '<p>Yes</p>',
    })
    const csv = await asBrowser(
      client.get(`/api/exports/proposals/${meeting.id}?format=csv`),
      moderator
    )
    csv.assertStatus(200)
    assert.match(
      csv.header('content-disposition') ?? '',
      /attachment; filename="proposals-\d+\.csv"/
    )
    const lines = csv.text().trim().split('\n')
    assert.equal(
      lines[0],
      'prop_id,agenda_item,state,author,meeting_group,as_group,created,body_text'
    )
    assert.match(
      lines[1],
      new RegExp(`^pia-1,${item.id},published,pia,,false,[^,]+Z,"Plant, ""trees"""$`)
    )
    const json = await asBrowser(
      client.get(`/api/exports/discussion-posts/${meeting.id}?format=json`),
      moderator
    )
    json.assertStatus(200)
    const rows = JSON.parse(json.text())
    assert.deepInclude(rows[0], {
      agenda_item: item.id,
      author: 'pia',
      meeting_group: null,
      as_group: false,
      body_text: 'Yes',
    })
    const refused = await asBrowser(client.get(`/api/exports/proposals/${meeting.id}`), pia.session)
    refused.assertStatus(403)
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('action', 'access')
      .orderBy('id')
    assert.deepEqual(
      audit.map((a) => a.event),
      ['proposals.exported', 'discussion_posts.exported']
    )
  })
})

test.group('Proposals | realtime snapshot sections (api.md §7.4)', () => {
  test('agenda item channel: documents, posts, reaction counts, own reactions and own notes; meeting channel: buttons', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator } = await world(client)
    await enableNotes(meeting)
    const pa = await givenMember(client, organisation, host, meeting, ['pa', 'di'])
    const proposal = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: 'P',
    })
    await asBrowser(client.post('/api/text-documents'), moderator).json({
      agenda_item: item.id,
      title: 'T',
      body: 'A\n\nB',
      base_tag: 'doc',
    })
    await asBrowser(client.post('/api/discussion-posts'), pa.session).json({
      agenda_item: item.id,
      body: 'Hi',
    })
    const button = await asBrowser(client.post('/api/reaction-buttons'), moderator).json({
      meeting: meeting.id,
      title: 'Like',
    })
    const target = { content_type: 'proposal', object_id: proposal.body().id }
    await asBrowser(client.post(`/api/reaction-buttons/${button.body().id}/set`), pa.session).json(
      target
    )
    await asBrowser(client.post(`/api/reaction-buttons/${button.body().id}/set`), moderator).json(
      target
    )
    await asBrowser(client.post('/api/notes'), pa.session).json({
      proposal: proposal.body().id,
      body: 'mine',
    })

    const snapshot = await asBrowser(
      client.get(`/api/realtime/snapshot?channel=meetings/${meeting.id}/agenda-items/${item.id}`),
      pa.session
    )
    snapshot.assertStatus(200)
    const sections = Object.fromEntries(
      snapshot.body().sections.map((section: any) => [section.name, section.messages[0]])
    )
    assert.equal(sections['text_document.documents'].items[0].paragraphs[1].tag, 'doc-2')
    assert.equal(sections['discussion_post.posts'].items[0].body, 'Hi')
    assert.deepInclude(sections['reaction.counts'].items[0], {
      button: button.body().id,
      object_id: proposal.body().id,
      count: 2,
    })
    assert.deepEqual(
      sections['reaction.own'].items.map((r: any) => r.user),
      [pa.user.id]
    )
    assert.deepEqual(
      sections['note.own'].items.map((n: any) => n.body),
      ['mine']
    )
    const forModerator = await asBrowser(
      client.get(`/api/realtime/snapshot?channel=meetings/${meeting.id}/agenda-items/${item.id}`),
      moderator
    )
    const moderatorSections = Object.fromEntries(
      forModerator.body().sections.map((section: any) => [section.name, section.messages[0]])
    )
    assert.deepEqual(moderatorSections['note.own'].items, [], 'notes are only ever the owner’s')
    const meetingSnapshot = await asBrowser(
      client.get(`/api/realtime/snapshot?channel=meetings/${meeting.id}`),
      pa.session
    )
    const buttons = meetingSnapshot
      .body()
      .sections.find((section: any) => section.name === 'reaction_button.buttons')
    assert.equal(buttons.messages[0].items[0].title, 'Like')
  })
})

test.group('Text documents | versions (B-ADD-08)', () => {
  test('body changes keep versions with a diff; title-only changes do not', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator, mia } = await world(client)
    const created = await asBrowser(client.post('/api/text-documents'), moderator).json({
      agenda_item: item.id,
      title: 'Statutes',
      body: 'The fee is 10 euro.\n\nMembers meet every year in spring.',
      base_tag: 'doc',
    })
    const id = created.body().id
    await asBrowser(client.patch(`/api/text-documents/${id}`), moderator).json({ title: 'Rules' })
    const changed = await asBrowser(client.patch(`/api/text-documents/${id}`), moderator).json({
      body: 'The fee is 12 euro.\n\nMembers meet every year in spring.',
    })
    changed.assertStatus(200)
    assert.equal(changed.body().paragraphs[0].body, 'The fee is 12 euro.')
    const pa = await givenMember(client, organisation, host, meeting, ['pa'])
    const versions = await asBrowser(client.get(`/api/text-documents/${id}/versions`), pa.session)
    versions.assertStatus(200)
    assert.deepEqual(
      versions.body().data.map((v: any) => [v.version, v.editor]),
      [
        [1, mia.id],
        [2, mia.id],
      ]
    )
    const diff = await asBrowser(
      client.get(`/api/text-documents/${id}/diff?from=1&to=2&brief=true`),
      pa.session
    )
    diff.assertStatus(200)
    assert.equal(
      diff.body().html,
      'The fee is <span class="text-diff-removed">10</span> <span class="text-diff-added">12</span> euro.\n\nMembers meet [...]'
    )
  })
})

test.group('Proposals | deletion', () => {
  test('deleting a proposal removes its versions, notes and reactions and tells the note owners', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, item, moderator } = await world(client)
    await enableNotes(meeting)
    const pa = await givenMember(client, organisation, host, meeting, ['pa'])
    const proposal = await asBrowser(client.post('/api/proposals'), moderator).json({
      shortname: 'proposal',
      agenda_item: item.id,
      body: 'P',
    })
    const id = proposal.body().id
    const note = await asBrowser(client.post('/api/notes'), pa.session).json({
      proposal: id,
      body: 'mine',
    })
    const button = await asBrowser(client.post('/api/reaction-buttons'), moderator).json({
      meeting: meeting.id,
      title: 'Like',
    })
    await asBrowser(client.post(`/api/reaction-buttons/${button.body().id}/set`), pa.session).json({
      content_type: 'proposal',
      object_id: id,
    })
    const deleted = await capture(() => asBrowser(client.delete(`/api/proposals/${id}`), moderator))
    deleted.result.assertStatus(204)
    assert.sameMembers(
      deleted.messages
        .filter((m) => m.type.endsWith('.deleted'))
        .map((m) => `${m.channel} ${m.type}`),
      [
        `meetings/${meeting.id}/moderators proposal.deleted`,
        `meetings/${meeting.id}/participants proposal.deleted`,
        `users/${pa.user.id} note.deleted`,
      ]
    )
    assert.isNull(await Note.findInOrganisation(organisation.id, note.body().id))
    for (const table of ['proposal_versions', 'reactions']) {
      const rows = await db
        .from(table)
        .where(table === 'reactions' ? 'object_id' : 'proposal_id', id)
      assert.lengthOf(rows, 0, table)
    }
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'proposal.deleted')
      .firstOrFail()
    assert.equal(audit.changes.body[0], 'P')
  })
})
