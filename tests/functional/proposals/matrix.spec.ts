import { test } from '@japa/runner'
import Proposal from '#models/proposal'
import DiscussionPost from '#models/discussion_post'
import ReactionButton from '#models/reaction_button'
import CreateProposal from '#actions/proposals/create_proposal'
import DiscussionPosts from '#actions/discussion/discussion_posts'
import ReactionButtons from '#actions/reactions/reaction_buttons'
import SaveTextDocument from '#actions/text_documents/save_text_document'
import { systemActor } from '#services/audit_log'
import {
  allCallers,
  contentWorld,
  enableNotes,
  givenItem,
  type Caller,
} from '#tests/helpers/proposals'

/**
 * Role × action matrix for every endpoint of proposals, text documents,
 * discussion, reactions, notes and exports (domain §9.5, §14, §4.6) in an
 * ongoing, non-public meeting with an ongoing agenda item.
 *
 * Visibility first: what a caller cannot see is 404 (path) or 422 (a body or
 * query field naming it); then the permission predicate gives 403.
 * `other_org_user` sends its requests to its own organisation's host, where
 * the ids do not exist.
 */
type World = Awaited<ReturnType<typeof contentWorld>>
type Fixtures = Awaited<ReturnType<typeof fixtures>>

const cli = systemActor('cli')

async function fixtures(w: World) {
  const item = await givenItem(w.meeting, 'ongoing')
  await enableNotes(w.meeting)
  const create = (authorId: number, body = 'P') =>
    new CreateProposal().execute({
      meeting: w.meeting,
      item,
      caller: w.users.moderator,
      callerIsModerator: true,
      shortname: 'proposal',
      body,
      authorship: { author: authorId },
      actor: cli,
    })
  const proposal = await create(w.users.proposer.id)
  const { document } = await new SaveTextDocument().create({
    item,
    fields: { title: 'Doc', body: 'A\n\nB', baseTag: 'doc' },
    authorId: null,
    actor: cli,
  })
  const button = await new ReactionButtons().create({
    meeting: w.meeting,
    fields: { title: 'Support', changeRoles: ['pr'], listRoles: ['di'] },
    actor: cli,
  })
  const post = () =>
    new DiscussionPosts().create({
      meeting: w.meeting,
      item,
      caller: w.users.moderator,
      callerIsModerator: true,
      fields: { body: 'Post' },
      actor: cli,
    })
  return { item, proposal, document, button, create, post, firstPost: await post() }
}

const visibleToParticipants = (ok: number, hidden: number): Record<Caller, number> => ({
  anonymous: hidden,
  other_org_user: hidden,
  org_member: hidden,
  participant: ok,
  proposer: ok,
  discusser: ok,
  moderator: ok,
  org_manager: hidden,
})

/** Writes: 401 anonymous, `hidden` for those who cannot see the object, 403 for participants without the right. */
const write = (
  hidden: number,
  allowed: Partial<Record<Caller, number>>
): Record<Caller, number> => ({
  anonymous: 401,
  other_org_user: hidden,
  org_member: hidden,
  participant: 403,
  proposer: 403,
  discusser: 403,
  moderator: 403,
  org_manager: hidden,
  ...allowed,
})

interface RequestSpec {
  method: 'get' | 'post' | 'patch' | 'delete'
  url: string
  body?: Record<string, unknown>
}

/** A request description (a built ApiRequest is thenable and would be sent when awaited). */
const spec = (
  method: RequestSpec['method'],
  url: string,
  body?: Record<string, unknown>
): RequestSpec => ({ method, url, body })

interface Row {
  name: string
  request: (w: World, f: Fixtures) => Promise<RequestSpec>
  expected: Record<Caller, number>
}

const rows: Row[] = [
  {
    name: 'GET /api/proposals?meeting',
    request: async (w) => spec('get', `/api/proposals?meeting=${w.meeting.id}`),
    expected: visibleToParticipants(200, 422),
  },
  {
    name: 'GET /api/proposals/{id}',
    request: async (_w, f) => spec('get', `/api/proposals/${f.proposal.id}`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'GET /api/proposals/{id}/versions',
    request: async (_w, f) => spec('get', `/api/proposals/${f.proposal.id}/versions`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'GET /api/proposals/{id}/diff',
    request: async (_w, f) => spec('get', `/api/proposals/${f.proposal.id}/diff?from=1&to=1`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'GET /api/proposals/{id}/event',
    request: async (_w, f) => spec('get', `/api/proposals/${f.proposal.id}/event`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'POST /api/proposals/preview',
    request: async (_w, f) =>
      spec('post', '/api/proposals/preview', {
        shortname: 'proposal',
        agenda_item: f.item.id,
        body: 'x',
      }),
    expected: write(422, { proposer: 200, moderator: 200 }),
  },
  {
    name: 'POST /api/proposals',
    request: async (_w, f) =>
      spec('post', '/api/proposals', { shortname: 'proposal', agenda_item: f.item.id, body: 'x' }),
    expected: write(422, { proposer: 201, moderator: 201 }),
  },
  {
    name: 'POST /api/proposals (amendment)',
    request: async (w, f) => {
      const [paragraph] = await (
        await import('#models/text_paragraph')
      ).default
        .forOrganisation(w.organisation.id)
        .where('text_document_id', f.document.id)
        .orderBy('paragraph_id')
      return spec('post', '/api/proposals', {
        shortname: 'diff_proposal',
        agenda_item: f.item.id,
        paragraph: paragraph.id,
        body: 'A changed',
      })
    },
    expected: write(422, { proposer: 201, moderator: 201 }),
  },
  {
    name: 'PATCH /api/proposals/{id}',
    request: async (_w, f) => spec('patch', `/api/proposals/${f.proposal.id}`, { body: 'Edited' }),
    expected: write(404, { moderator: 200 }),
  },
  {
    name: 'DELETE /api/proposals/{id}',
    request: async (w, f) =>
      spec('delete', `/api/proposals/${(await f.create(w.users.proposer.id)).id}`),
    expected: write(404, { moderator: 204 }),
  },
  {
    name: 'POST /api/proposals/{id}/event retract (proposer’s own)',
    request: async (w, f) =>
      spec('post', `/api/proposals/${(await f.create(w.users.proposer.id)).id}/event`, {
        event: 'retract',
      }),
    expected: write(404, { proposer: 200, moderator: 200 }),
  },
  {
    name: 'POST /api/proposals/{id}/event approve',
    request: async (w, f) =>
      spec('post', `/api/proposals/${(await f.create(w.users.proposer.id)).id}/event`, {
        event: 'approve',
      }),
    expected: write(404, { moderator: 200 }),
  },
  {
    name: 'GET /api/text-documents?agenda_item',
    request: async (_w, f) => spec('get', `/api/text-documents?agenda_item=${f.item.id}`),
    expected: visibleToParticipants(200, 422),
  },
  {
    name: 'GET /api/text-documents/{id}',
    request: async (_w, f) => spec('get', `/api/text-documents/${f.document.id}`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'GET /api/text-documents/{id}/versions',
    request: async (_w, f) => spec('get', `/api/text-documents/${f.document.id}/versions`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'GET /api/text-documents/{id}/diff',
    request: async (_w, f) => spec('get', `/api/text-documents/${f.document.id}/diff?from=1&to=1`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'POST /api/text-documents',
    request: async (_w, f) =>
      spec('post', '/api/text-documents', {
        agenda_item: f.item.id,
        title: 'T',
        body: 'x',
        base_tag: `t${Math.random().toString(36).slice(2, 8)}`,
      }),
    expected: write(422, { moderator: 201 }),
  },
  {
    name: 'PATCH /api/text-documents/{id}',
    request: async (_w, f) =>
      spec('patch', `/api/text-documents/${f.document.id}`, { title: 'Renamed' }),
    expected: write(404, { moderator: 200 }),
  },
  {
    name: 'DELETE /api/text-documents/{id}',
    request: async (_w, f) => {
      const { document } = await new SaveTextDocument().create({
        item: f.item,
        fields: { title: 'D', body: 'x', baseTag: `d${Math.random().toString(36).slice(2, 8)}` },
        authorId: null,
        actor: cli,
      })
      return spec('delete', `/api/text-documents/${document.id}`)
    },
    expected: write(404, { moderator: 204 }),
  },
  {
    name: 'GET /api/discussion-posts?agenda_item',
    request: async (_w, f) => spec('get', `/api/discussion-posts?agenda_item=${f.item.id}`),
    expected: visibleToParticipants(200, 422),
  },
  {
    name: 'GET /api/discussion-posts/{id}',
    request: async (_w, f) => spec('get', `/api/discussion-posts/${f.firstPost.id}`),
    expected: visibleToParticipants(200, 404),
  },
  {
    name: 'POST /api/discussion-posts',
    request: async (_w, f) =>
      spec('post', '/api/discussion-posts', { agenda_item: f.item.id, body: 'Hi' }),
    expected: write(422, { discusser: 201, moderator: 201 }),
  },
  {
    name: 'PATCH /api/discussion-posts/{id}',
    request: async (_w, f) =>
      spec('patch', `/api/discussion-posts/${f.firstPost.id}`, { body: 'Edited' }),
    expected: write(404, { moderator: 200 }),
  },
  {
    name: 'DELETE /api/discussion-posts/{id} (someone else’s)',
    request: async (_w, f) => spec('delete', `/api/discussion-posts/${(await f.post()).id}`),
    expected: write(404, { moderator: 204 }),
  },
  {
    name: 'GET /api/reaction-buttons?meeting',
    request: async (w) => spec('get', `/api/reaction-buttons?meeting=${w.meeting.id}`),
    expected: { ...visibleToParticipants(200, 422), anonymous: 401 },
  },
  {
    name: 'POST /api/reaction-buttons',
    request: async (w) =>
      spec('post', '/api/reaction-buttons', { meeting: w.meeting.id, title: `B${Math.random()}` }),
    expected: write(422, { moderator: 201 }),
  },
  {
    name: 'PATCH /api/reaction-buttons/{id}',
    request: async (_w, f) => spec('patch', `/api/reaction-buttons/${f.button.id}`, { order: 5 }),
    expected: write(404, { moderator: 200 }),
  },
  {
    name: 'DELETE /api/reaction-buttons/{id}',
    request: async (w) => {
      const button = await new ReactionButtons().create({
        meeting: w.meeting,
        fields: { title: `X${Math.random()}` },
        actor: cli,
      })
      return spec('delete', `/api/reaction-buttons/${button.id}`)
    },
    expected: write(404, { moderator: 204 }),
  },
  {
    name: 'POST /api/reaction-buttons/{id}/set (change_roles: pr)',
    request: async (_w, f) =>
      spec('post', `/api/reaction-buttons/${f.button.id}/set`, {
        content_type: 'proposal',
        object_id: f.proposal.id,
      }),
    expected: write(404, { proposer: 201, moderator: 201 }),
  },
  {
    name: 'POST /api/reaction-buttons/{id}/remove',
    request: async (_w, f) =>
      spec('post', `/api/reaction-buttons/${f.button.id}/remove`, {
        content_type: 'proposal',
        object_id: f.proposal.id,
      }),
    expected: write(404, { proposer: 204, moderator: 204 }),
  },
  {
    name: 'GET /api/reaction-buttons/{id}/reactions (list_roles: di)',
    request: async (_w, f) =>
      spec(
        'get',
        `/api/reaction-buttons/${f.button.id}/reactions?content_type=proposal&object_id=${f.proposal.id}`
      ),
    expected: { ...write(404, { discusser: 200, moderator: 200 }) },
  },
  {
    name: 'GET /api/notes?meeting',
    request: async (w) => spec('get', `/api/notes?meeting=${w.meeting.id}`),
    expected: { ...visibleToParticipants(200, 422), anonymous: 401 },
  },
  {
    name: 'POST /api/notes',
    request: async (_w, f) =>
      spec('post', '/api/notes', { proposal: f.proposal.id, body: 'mine', intent: 'a' }),
    expected: write(422, { participant: 201, proposer: 201, discusser: 201, moderator: 201 }),
  },
  {
    name: 'POST /api/notes/delete-all',
    request: async (w) => spec('post', '/api/notes/delete-all', { meeting: w.meeting.id }),
    expected: write(422, { participant: 200, proposer: 200, discusser: 200, moderator: 200 }),
  },
  {
    name: 'GET /api/exports/proposals/{meeting}',
    request: async (w) => spec('get', `/api/exports/proposals/${w.meeting.id}`),
    expected: write(404, { moderator: 200 }),
  },
  {
    name: 'GET /api/exports/discussion-posts/{meeting}',
    request: async (w) => spec('get', `/api/exports/discussion-posts/${w.meeting.id}?format=json`),
    expected: write(404, { moderator: 200 }),
  },
]

test.group('Proposals | role × action matrix', () => {
  test('{name}')
    .with(rows)
    .run(async ({ client, assert }, row) => {
      const w = await contentWorld(client)
      const f = await fixtures(w)
      const actual: Partial<Record<Caller, number>> = {}
      for (const caller of allCallers) {
        const { method, url, body } = await row.request(w, f)
        const request = w.as(caller, client[method](url))
        if (body) request.json(body)
        const response = await request
        actual[caller] = response.status()
      }
      assert.deepEqual(actual, row.expected)
    })
    .timeout(120_000)

  test('public meetings: anonymous visitors read proposals, posts and documents, and write nothing', async ({
    client,
    assert,
  }) => {
    const w = await contentWorld(client, { public: true })
    const f = await fixtures(w)
    const privateItem = await givenItem(w.meeting, 'private')
    const hidden = await new CreateProposal().execute({
      meeting: w.meeting,
      item: privateItem,
      caller: w.users.moderator,
      callerIsModerator: true,
      shortname: 'proposal',
      body: 'Hidden',
      authorship: {},
      actor: cli,
    })
    const list = await w.as('anonymous', client.get(`/api/proposals?meeting=${w.meeting.id}`))
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((p: { id: number }) => p.id),
      [f.proposal.id]
    )
    const asModerator = await w.as(
      'moderator',
      client.get(`/api/proposals?meeting=${w.meeting.id}`)
    )
    assert.sameMembers(
      asModerator.body().data.map((p: { id: number }) => p.id),
      [f.proposal.id, hidden.id]
    )
    ;(await w.as('anonymous', client.get(`/api/proposals/${hidden.id}`))).assertStatus(404)
    ;(await w.as('participant', client.get(`/api/proposals/${hidden.id}`))).assertStatus(404)
    ;(
      await w.as('anonymous', client.get(`/api/discussion-posts?agenda_item=${f.item.id}`))
    ).assertStatus(200)
    ;(
      await w.as('anonymous', client.get(`/api/text-documents?meeting=${w.meeting.id}`))
    ).assertStatus(200)
    ;(
      await w.as(
        'org_member',
        client
          .post('/api/proposals')
          .json({ shortname: 'proposal', agenda_item: f.item.id, body: 'x' })
      )
    ).assertStatus(403)
    assert.equal(
      await Proposal.forOrganisation(w.organisation.id)
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      2
    )
    assert.isNotNull(await DiscussionPost.findInOrganisation(w.organisation.id, f.firstPost.id))
    assert.isNotNull(await ReactionButton.findInOrganisation(w.organisation.id, f.button.id))
  }).timeout(60_000)
})
