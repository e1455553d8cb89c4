import { test } from '@japa/runner'
import Meeting from '#models/meeting'
import Proposal from '#models/proposal'
import CreateMeeting from '#actions/meetings/create_meeting'
import CreateProposal from '#actions/proposals/create_proposal'
import DiscussionPosts from '#actions/discussion/discussion_posts'
import SaveTextDocument from '#actions/text_documents/save_text_document'
import { systemActor } from '#services/audit_log'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import MeetingGroup from '#models/meeting_group'
import { givenGroup, givenItem, moveMeeting } from '#tests/helpers/proposals'

const cli = systemActor('cli')

/*
 | Authors, groups and amended paragraphs are protected against deletion on
 | their own (RESTRICT; domain §9.1, §9.3, §7.2), but a meeting's hard delete
 | (purge) or an organisation's deletion must still remove everything in one
 | cascade, on SQLite and PostgreSQL alike.
 */
test.group('Proposals | deleting a meeting removes its content', () => {
  test('a meeting with group proposals, amendments and posts can be hard-deleted', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const mia = await givenUser(organisation)
    let meeting = await new CreateMeeting().execute({
      organisation,
      title: 'M',
      creator: mia,
      erPolicyName: 'auto_before_poll',
      actor: cli,
    })
    meeting = await moveMeeting(meeting, 'ongoing')
    const item = await givenItem(meeting, 'ongoing')
    const group = await givenGroup(meeting, 'board', { postAs: true, members: [mia] })
    const { paragraphs } = await new SaveTextDocument().create({
      item,
      fields: { title: 'T', body: 'A\n\nB', baseTag: 'doc' },
      authorId: mia.id,
      actor: cli,
    })
    const base = { meeting, item, caller: mia, callerIsModerator: true, actor: cli }
    await new CreateProposal().execute({
      ...base,
      shortname: 'proposal',
      body: 'P',
      authorship: { meetingGroup: group.id, asGroup: true },
    })
    await new CreateProposal().execute({
      ...base,
      shortname: 'diff_proposal',
      body: 'A2',
      paragraph: paragraphs[0].id,
      authorship: {},
    })
    await new DiscussionPosts().create({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      fields: { body: 'x', meetingGroup: group.id },
      actor: cli,
    })

    await (await Meeting.findInOrganisation(organisation.id, meeting.id))!.delete()
    assert.isNull(await Meeting.findInOrganisation(organisation.id, meeting.id))
    assert.lengthOf(
      await Proposal.forOrganisation(organisation.id).where('meeting_id', meeting.id),
      0
    )
  })

  test('deleting an organisation removes its users and their proposals', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const mia = await givenUser(organisation)
    let meeting = await new CreateMeeting().execute({
      organisation,
      title: 'M',
      creator: mia,
      erPolicyName: 'auto_before_poll',
      actor: cli,
    })
    meeting = await moveMeeting(meeting, 'ongoing')
    const item = await givenItem(meeting, 'ongoing')
    await new CreateProposal().execute({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      shortname: 'proposal',
      body: 'P',
      authorship: {},
      actor: cli,
    })
    await new DiscussionPosts().create({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      fields: { body: 'x' },
      actor: cli,
    })
    await organisation.delete()
    assert.lengthOf(await Proposal.forOrganisation(organisation.id), 0)
  })

  test('a user with proposals cannot be hard-deleted', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const mia = await givenUser(organisation)
    let meeting = await new CreateMeeting().execute({
      organisation,
      title: 'M',
      creator: mia,
      erPolicyName: 'auto_before_poll',
      actor: cli,
    })
    meeting = await moveMeeting(meeting, 'ongoing')
    const item = await givenItem(meeting, 'ongoing')
    await new CreateProposal().execute({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      shortname: 'proposal',
      body: 'P',
      authorship: {},
      actor: cli,
    })
    await assert.rejects(() => mia.delete())
  })
})

test.group('Proposals | groups with content', () => {
  test('a group that authored a proposal or post cannot be deleted (403)', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    let meeting = await new CreateMeeting().execute({
      organisation,
      title: 'M',
      creator: mia,
      erPolicyName: 'auto_before_poll',
      actor: cli,
    })
    meeting = await moveMeeting(meeting, 'ongoing')
    const item = await givenItem(meeting, 'ongoing')
    const withProposal = await givenGroup(meeting, 'board', { members: [mia] })
    const withPost = await givenGroup(meeting, 'youth', { members: [mia] })
    const empty = await givenGroup(meeting, 'empty')
    await new CreateProposal().execute({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      shortname: 'proposal',
      body: 'P',
      authorship: { meetingGroup: withProposal.id },
      actor: cli,
    })
    await new DiscussionPosts().create({
      meeting,
      item,
      caller: mia,
      callerIsModerator: true,
      fields: { body: 'x', meetingGroup: withPost.id },
      actor: cli,
    })
    const session = await loginBrowser(client, host, mia)
    ;(
      await asBrowser(client.delete(`/api/meeting-groups/${withProposal.id}`), session)
    ).assertStatus(403)
    ;(await asBrowser(client.delete(`/api/meeting-groups/${withPost.id}`), session)).assertStatus(
      403
    )
    ;(await asBrowser(client.delete(`/api/meeting-groups/${empty.id}`), session)).assertStatus(204)
    assert.isNotNull(await MeetingGroup.findInOrganisation(organisation.id, withProposal.id))
  })
})
