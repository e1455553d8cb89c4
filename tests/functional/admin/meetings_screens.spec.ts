import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import AuditEntry from '#models/audit_entry'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import MeetingGroup from '#models/meeting_group'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { givenAgendaItem, givenMeeting, givenRoles, reloadMeeting } from '#tests/helpers/meetings'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

/** A meeting with a moderator and a plain participant, both able to log in to the admin. */
async function meetingAdminWorld(_client: ApiClient) {
  const { organisation, host } = await givenOrganisation('Meetings Admin Org')
  const moderator = await givenUser(organisation, { firstName: 'Mona' })
  const member = await givenUser(organisation, { firstName: 'Paul' })
  const meeting = await givenMeeting(organisation, { moderator })
  await givenRoles(meeting, member, ['pa'])
  return { organisation, host, moderator, member, meeting }
}

test.group('Admin | meeting screens: access', () => {
  test('every meeting screen renders for the moderator and is a 403 for a plain participant', async ({
    client,
    assert,
  }) => {
    const { host, moderator, member, meeting } = await meetingAdminWorld(client)
    const item = await givenAgendaItem(meeting, 'private', 'Opening')
    const screens = [
      `/admin/meetings/${meeting.id}`,
      `/admin/meetings/${meeting.id}/participants`,
      `/admin/meetings/${meeting.id}/agenda`,
      `/admin/meetings/${meeting.id}/agenda/${item.id}`,
      `/admin/meetings/${meeting.id}/invitations`,
    ]
    const mod = await loginAdmin(client, host, moderator)
    for (const path of screens) {
      const page = await visit(mod, path)
      assert.equal(page.status(), 200, path)
      assert.include(page.text(), meeting.title, path)
    }
    const list = await visit(mod, '/admin/meetings')
    list.assertStatus(200)
    assert.include(list.text(), `href="/admin/meetings/${meeting.id}"`)

    const plain = await loginAdmin(client, host, member)
    for (const path of screens) {
      const page = await visit(plain, path)
      assert.equal(page.status(), 403, path)
    }
    // The hub list shows only moderated meetings to non-managers.
    const plainList = await visit(plain, '/admin/meetings')
    plainList.assertStatus(200)
    assert.notInclude(plainList.text(), `href="/admin/meetings/${meeting.id}"`)

    // A participant's form post changes nothing either.
    const refused = await submit(plain, `/admin/meetings/${meeting.id}/participants/roles`, {
      'users[0]': String(member.id),
      'role': 'mo',
      'mode': 'add',
    })
    refused.assertStatus(302)
    const row = await MeetingRole.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('user_id', member.id)
      .firstOrFail()
    assert.deepEqual(row.assigned, ['pa'])
  })

  test('an organisation manager sees every meeting and its participants; other organisations get 404', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting } = await meetingAdminWorld(client)
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const browser = await loginAdmin(client, host, manager)
    const list = await visit(browser, '/admin/meetings?search=meet&state=upcoming')
    assert.include(list.text(), `href="/admin/meetings/${meeting.id}"`)
    const none = await visit(browser, '/admin/meetings?state=closed')
    assert.notInclude(none.text(), `href="/admin/meetings/${meeting.id}"`)
    ;(await visit(browser, `/admin/meetings/${meeting.id}/participants`)).assertStatus(200)
    // Not a moderator: the overview opens (to appoint moderators), the moderator screens do not.
    const overview = await visit(browser, `/admin/meetings/${meeting.id}`)
    overview.assertStatus(200)
    assert.include(overview.text(), 'Only a moderator can change this meeting')
    ;(await visit(browser, `/admin/meetings/${meeting.id}/agenda`)).assertStatus(403)
    ;(await visit(browser, `/admin/meetings/${meeting.id}/invitations`)).assertStatus(403)

    const other = await givenOrganisation('Other Org')
    const stranger = await givenMeeting(other.organisation)
    ;(await visit(browser, `/admin/meetings/${stranger.id}`)).assertStatus(404)
  })
})

test.group('Admin | meetings: create, edit, transitions', () => {
  test('creates a meeting from a dialect; the creator becomes moderator', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Creator Org')
    const creator = await givenUser(organisation, { roles: ['meeting_creator'] })
    const browser = await loginAdmin(client, host, creator)
    const form = await visit(browser, '/admin/meetings/new')
    form.assertStatus(200)
    assert.include(form.text(), 'value="party_congress"')

    const response = await submit(browser, '/admin/meetings', {
      title: 'Congress 2027',
      dialect: 'party_congress',
      public: '1',
    })
    response.assertStatus(302)
    const meeting = await Meeting.forOrganisation(organisation.id)
      .where('title', 'Congress 2027')
      .firstOrFail()
    assert.equal(redirectedTo(response), `/admin/meetings/${meeting.id}`)
    assert.equal(meeting.installedDialect, 'party_congress')
    assert.isTrue(meeting.public)
    // The dialect's groups were installed in the same transaction.
    const groups = await MeetingGroup.forOrganisation(organisation.id).where(
      'meeting_id',
      meeting.id
    )
    assert.isAbove(groups.length, 0)
    const roles = await MeetingRole.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('user_id', creator.id)
      .firstOrFail()
    assert.include(roles.assigned, 'mo')
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'meeting.created')
      .firstOrFail()
    assert.equal(audit.source, 'admin')
  })

  test('refuses an unknown dialect and a user without meeting.add', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Creator Org 2')
    const creator = await givenUser(organisation, { roles: ['meeting_creator'] })
    const browser = await loginAdmin(client, host, creator)
    await visit(browser, '/admin/meetings/new')
    const bad = await submit(browser, '/admin/meetings', { title: 'X', dialect: 'nonexistent' })
    bad.assertStatus(302)
    assert.equal(
      await Meeting.forOrganisation(organisation.id)
        .count('* as n')
        .then((r) => Number(r[0].$extras.n)),
      0
    )

    const plain = await loginAdmin(client, host, await givenUser(organisation))
    ;(await visit(plain, '/admin/meetings/new')).assertStatus(403)
  })

  test('edits the meeting and fires only the allowed transitions', async ({ client, assert }) => {
    const { host, moderator, meeting } = await meetingAdminWorld(client)
    const browser = await loginAdmin(client, host, moderator)
    const page = (await visit(browser, `/admin/meetings/${meeting.id}`)).text()
    // upcoming → "make_ongoing" is a button; "archive" is not offered in this state.
    assert.include(page, 'name="event" value="make_ongoing"')
    assert.notInclude(page, 'name="event" value="archive"')

    const saved = await submit(browser, `/admin/meetings/${meeting.id}`, {
      title: 'Renamed meeting',
      body: '<p>Hello</p>',
    })
    assert.equal(redirectedTo(saved), `/admin/meetings/${meeting.id}`)
    assert.equal((await reloadMeeting(meeting)).title, 'Renamed meeting')

    const fired = await submit(browser, `/admin/meetings/${meeting.id}/event`, {
      event: 'make_ongoing',
    })
    fired.assertStatus(302)
    const after = await reloadMeeting(meeting)
    assert.equal(after.state, 'ongoing')
    const audit = await AuditEntry.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('event', 'meeting.make_ongoing')
      .firstOrFail()
    assert.equal(audit.source, 'admin')

    // An event not allowed from this state is refused by the machine and changes nothing.
    await visit(browser, `/admin/meetings/${meeting.id}`)
    await submit(browser, `/admin/meetings/${meeting.id}/event`, { event: 'archive' })
    assert.equal((await reloadMeeting(meeting)).state, 'ongoing')
  })

  test('a form post without the CSRF token is refused and changes nothing', async ({
    client,
    assert,
  }) => {
    const { host, moderator, meeting } = await meetingAdminWorld(client)
    const browser = await loginAdmin(client, host, moderator)
    await visit(browser, `/admin/meetings/${meeting.id}`)
    const refused = await submit(
      browser,
      `/admin/meetings/${meeting.id}/event`,
      { event: 'make_ongoing' },
      { csrf: false }
    )
    refused.assertStatus(302)
    assert.equal((await reloadMeeting(meeting)).state, 'upcoming')
    const forged = await submit(
      browser,
      `/admin/meetings/${meeting.id}`,
      { title: 'Forged' },
      { csrf: 'forged-token' }
    )
    forged.assertStatus(302)
    assert.equal((await reloadMeeting(meeting)).title, 'Meeting')
  })
})

test.group('Admin | meeting participants', () => {
  test('searches participants and adds / removes a role for the ticked users', async ({
    client,
    assert,
  }) => {
    const { organisation, host, moderator, member, meeting } = await meetingAdminWorld(client)
    const other = await givenUser(organisation, { firstName: 'Xena' })
    await givenRoles(meeting, other, ['pa'])
    const browser = await loginAdmin(client, host, moderator)

    const search = (
      await visit(browser, `/admin/meetings/${meeting.id}/participants?search=xena`)
    ).text()
    assert.include(search, `value="${other.id}"`)
    assert.notInclude(search, `name="users[]" value="${member.id}"`)

    const added = await submit(browser, `/admin/meetings/${meeting.id}/participants/roles`, {
      'users[0]': String(member.id),
      'users[1]': String(other.id),
      'role': 'pv',
      'mode': 'add',
    })
    added.assertStatus(302)
    const rolesOf = async (userId: number) =>
      (
        await MeetingRole.forOrganisation(organisation.id)
          .where('meeting_id', meeting.id)
          .where('user_id', userId)
          .firstOrFail()
      ).assigned
    assert.sameMembers(await rolesOf(member.id), ['pa', 'pv'])
    assert.sameMembers(await rolesOf(other.id), ['pa', 'pv'])

    const byRole = (
      await visit(browser, `/admin/meetings/${meeting.id}/participants?role=pv`)
    ).text()
    assert.include(byRole, `value="${other.id}"`)
    assert.notInclude(byRole, `name="users[]" value="${moderator.id}"`)

    await submit(browser, `/admin/meetings/${meeting.id}/participants/roles`, {
      'users[0]': String(other.id),
      'role': 'pv',
      'mode': 'remove',
    })
    assert.sameMembers(await rolesOf(other.id), ['pa'])
    assert.sameMembers(await rolesOf(member.id), ['pa', 'pv'])

    // No ticked user: a validation error, nothing changes.
    const empty = await submit(browser, `/admin/meetings/${meeting.id}/participants/roles`, {
      role: 'pv',
      mode: 'add',
    })
    empty.assertStatus(302)
    assert.sameMembers(await rolesOf(other.id), ['pa'])

    // Adding a user of the organisation by email.
    const newcomer = await givenUser(organisation, { email: 'newcomer@example.org' })
    await visit(browser, `/admin/meetings/${meeting.id}/participants`)
    await submit(browser, `/admin/meetings/${meeting.id}/participants`, {
      user: 'NEWCOMER@example.org',
      role: 'pr',
    })
    assert.sameMembers(await rolesOf(newcomer.id), ['pa', 'pr'])
  })
})

test.group('Admin | meetings list', () => {
  test('pages through 25 a page and keeps the filters in the links', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Paging Org')
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    for (let i = 0; i < 27; i++) await givenMeeting(organisation, { moderator: manager })
    const browser = await loginAdmin(client, host, manager)
    const first = (await visit(browser, '/admin/meetings?state=upcoming')).text()
    assert.include(first, '1–25 of 27')
    assert.include(first, 'href="/admin/meetings?state=upcoming&amp;page=2"')
    const second = (await visit(browser, '/admin/meetings?state=upcoming&page=2')).text()
    assert.include(second, '26–27 of 27')
  })
})
