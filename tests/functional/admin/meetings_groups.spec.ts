import { test } from '@japa/runner'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { givenMeeting, givenRoles } from '#tests/helpers/meetings'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

test.group('Admin | meeting groups', () => {
  test('creates, edits and deletes a group and manages its members', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Groups Admin Org')
    const moderator = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator })
    const member = await givenUser(organisation, { email: 'gunnar@example.org' })
    const browser = await loginAdmin(client, host, moderator)
    const base = `/admin/meetings/${meeting.id}/groups`
    ;(await visit(browser, base)).assertStatus(200)

    const created = await submit(browser, base, { title: 'North district', votes: '3' })
    const group = await MeetingGroup.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .firstOrFail()
    assert.equal(redirectedTo(created), `${base}/${group.id}`)
    assert.equal(group.votes, 3)
    assert.isNotEmpty(group.groupid)

    ;(await visit(browser, `${base}/${group.id}`)).assertStatus(200)
    await submit(browser, `${base}/${group.id}`, { title: 'North', votes: '' })
    const edited = (await MeetingGroup.findInOrganisation(organisation.id, group.id))!
    assert.equal(edited.title, 'North')
    assert.equal(edited.groupid, group.groupid)
    assert.isNull(edited.votes)

    // Not a participant yet: refused (CreateMembership), nothing saved.
    await submit(browser, `${base}/${group.id}/members`, { user: 'gunnar@example.org' })
    assert.isNull(
      await GroupMembership.forOrganisation(organisation.id)
        .where('meeting_group_id', group.id)
        .first()
    )
    await givenRoles(meeting, member, ['pa'])
    await submit(browser, `${base}/${group.id}/members`, { user: 'gunnar@example.org' })
    const membership = await GroupMembership.forOrganisation(organisation.id)
      .where('meeting_group_id', group.id)
      .firstOrFail()
    assert.equal(membership.userId, member.id)
    assert.include((await visit(browser, `${base}/${group.id}`)).text(), 'gunnar@example.org')

    await submit(browser, `${base}/${group.id}/members/${membership.id}/delete`, {})
    assert.isNull(await GroupMembership.findInOrganisation(organisation.id, membership.id))

    await submit(browser, `${base}/${group.id}/delete`, {})
    assert.isNull(await MeetingGroup.findInOrganisation(organisation.id, group.id))
  })

  test('a plain participant gets 403 and cannot create a group', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Groups Admin Org 2')
    const meeting = await givenMeeting(organisation)
    const member = await givenUser(organisation)
    await givenRoles(meeting, member, ['pa'])
    const browser = await loginAdmin(client, host, member)
    ;(await visit(browser, `/admin/meetings/${meeting.id}/groups`)).assertStatus(403)
    await submit(browser, `/admin/meetings/${meeting.id}/groups`, { title: 'Sneaky' })
    const groups = await MeetingGroup.forOrganisation(organisation.id).where(
      'meeting_id',
      meeting.id
    )
    assert.lengthOf(groups, 0)
  })
})
