import { test } from '@japa/runner'
import Proposal from '#models/proposal'
import DiscussionPost from '#models/discussion_post'
import AuditEntry from '#models/audit_entry'
import CreateMeeting from '#actions/meetings/create_meeting'
import CreateProposal from '#actions/proposals/create_proposal'
import DiscussionPosts from '#actions/discussion/discussion_posts'
import { systemActor } from '#services/audit_log'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { loginAdmin, submit, visit } from '#tests/helpers/admin'
import { fakePollUsage, givenItem, givenRoles, moveMeeting } from '#tests/helpers/proposals'

const cli = systemActor('cli')

async function adminWorld() {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation, { firstName: 'Mia' })
  let meeting = await new CreateMeeting().execute({
    organisation,
    title: 'Annual meeting',
    creator: mia,
    erPolicyName: 'auto_before_poll',
    actor: cli,
  })
  meeting = await moveMeeting(meeting, 'ongoing')
  const item = await givenItem(meeting, 'ongoing')
  const create = (body: string) =>
    new CreateProposal().execute({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      shortname: 'proposal',
      body,
      authorship: {},
      actor: cli,
    })
  return { organisation, host, mia, meeting, item, create }
}

test.group('Admin | proposals', () => {
  test('moderators list proposals and bulk-change states; impossible transitions are skipped and audited changes carry source admin', async ({
    client,
    assert,
  }) => {
    const { organisation, host, mia, meeting, create } = await adminWorld()
    const a = await create('<p>Plant trees</p>')
    const b = await create('<p>Build roads</p>')
    const c = await create('<p>Locked one</p>')
    const stop = fakePollUsage({ active: [c.id] })
    const browser = await loginAdmin(client, host, mia)
    try {
      const index = await visit(browser, '/admin/proposals')
      index.assertStatus(200)
      assert.include(index.text(), 'Annual meeting')
      const page = await visit(browser, `/admin/proposals/meetings/${meeting.id}`)
      page.assertStatus(200)
      assert.include(page.text(), 'Plant trees')
      assert.include(page.text(), `#${a.propId}`)

      const locked = await submit(browser, `/admin/proposals/meetings/${meeting.id}/bulk-state`, {
        'proposals[0]': String(a.id),
        'proposals[1]': String(b.id),
        'proposals[2]': String(c.id),
        'state': 'voting',
      })
      locked.assertStatus(302)
    } finally {
      stop()
    }
    const states = await Proposal.forOrganisation(organisation.id)
      .whereIn('id', [a.id, b.id, c.id])
      .orderBy('id')
    assert.deepEqual(
      states.map((p) => p.state),
      ['voting', 'voting', 'published']
    )
    const flash = await visit(browser, `/admin/proposals/meetings/${meeting.id}`)
    assert.include(flash.text(), '2 proposal(s) set to')
    assert.include(flash.text(), c.propId)
    const audit = await AuditEntry.forOrganisation(organisation.id).where(
      'event',
      'proposal.lock_for_vote'
    )
    assert.lengthOf(audit, 2)
    assert.deepEqual([...new Set(audit.map((entry) => entry.source))], ['admin'])

    // "hide" = retract: only from published, so the voting ones are skipped.
    await submit(browser, `/admin/proposals/meetings/${meeting.id}/bulk-state`, {
      'proposals[0]': String(c.id),
      'state': 'retracted',
    })
    assert.equal((await Proposal.findInOrganisation(organisation.id, c.id))!.state, 'retracted')
  })

  test('moderators delete discussion posts; participants get the 403 page', async ({
    client,
    assert,
  }) => {
    const { organisation, host, mia, meeting, item } = await adminWorld()
    const post = await new DiscussionPosts().create({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      fields: { body: 'Spam' },
      actor: cli,
    })
    const pa = await givenUser(organisation)
    await givenRoles(meeting, pa, ['pa'])
    const participant = await loginAdmin(client, host, pa)
    const refused = await visit(participant, `/admin/proposals/meetings/${meeting.id}`)
    refused.assertStatus(403)
    const browser = await loginAdmin(client, host, mia)
    await visit(browser, `/admin/proposals/meetings/${meeting.id}`)
    const response = await submit(browser, `/admin/proposals/posts/${post.id}/delete`, {})
    response.assertStatus(302)
    assert.isNull(await DiscussionPost.findInOrganisation(organisation.id, post.id))
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'discussion_post.deleted')
      .firstOrFail()
    assert.equal(entry.source, 'admin')
    assert.equal(entry.actorUserId, mia.id)
  })
})
