import { test } from '@japa/runner'
import MeetingInvite from '#models/meeting_invite'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { givenMeeting, givenRoles } from '#tests/helpers/meetings'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

async function invitesOf(organisationId: number, meetingId: number) {
  return MeetingInvite.forOrganisation(organisationId).where('meeting_id', meetingId).orderBy('id')
}

test.group('Admin | invitations', () => {
  test('CSV upload: a dry run previews and saves nothing, the commit imports', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation('Invites Admin Org')
    const moderator = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator })
    const browser = await loginAdmin(client, host, moderator)
    const path = `/admin/meetings/${meeting.id}/invitations`
    await visit(browser, path)

    const csv = 'email,roles\nanna@example.org,pa pr\nbertil@example.org,\n'
    const preview = await submit(browser, `${path}/import`, { 'text': csv, 'roles[0]': 'pa' })
    preview.assertStatus(200)
    assert.include(preview.text(), 'Dry run')
    assert.include(preview.text(), 'Would add 2')
    // The commit form carries the same table.
    assert.include(preview.text(), 'anna@example.org')
    assert.include(preview.text(), 'name="commit" value="1"')
    assert.lengthOf(await invitesOf(organisation.id, meeting.id), 0)

    const committed = await submit(browser, `${path}/import`, {
      'text': csv,
      'roles[0]': 'pa',
      'commit': '1',
    })
    committed.assertStatus(302)
    assert.equal(redirectedTo(committed), path)
    const invites = await invitesOf(organisation.id, meeting.id)
    assert.lengthOf(invites, 2)
    assert.sameMembers(
      invites.map((i) => i.email!),
      ['anna@example.org', 'bertil@example.org']
    )
    assert.sameMembers(invites.find((i) => i.email === 'anna@example.org')!.roles, ['pa', 'pr'])

    // The list masks identities.
    const list = (await visit(browser, path)).text()
    assert.notInclude(list, 'anna@example.org')
    assert.include(list, 'email: ')

    // The same file again: nothing to add.
    const again = await submit(browser, `${path}/import`, { 'text': csv, 'roles[0]': 'pa' })
    assert.include(again.text(), 'Would add 0')

    // A bad row is refused with its line, nothing saved.
    const bad = await submit(browser, `${path}/import`, {
      'text': 'email\nnot-an-email\n',
      'roles[0]': 'pa',
      'commit': '1',
    })
    bad.assertStatus(302)
    assert.lengthOf(await invitesOf(organisation.id, meeting.id), 2)
  })

  test('a CSV file uploaded as multipart gives the same dry run', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Invites Admin Org 3')
    const moderator = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator })
    const browser = await loginAdmin(client, host, moderator)
    const path = `/admin/meetings/${meeting.id}/invitations`
    await visit(browser, path)
    // The form is multipart (file input); sent like a browser would, token as a field.
    const response = await client
      .post(`${path}/import`)
      .header('host', host)
      .header('cookie', browser.cookie)
      .header('accept', 'text/html')
      .header('referer', `http://${host}${path}`)
      .field('_csrf', browser.csrf!)
      .field('roles[0]', 'pa')
      .file('file', Buffer.from('email\ncecilia@example.org\n'), { filename: 'people.csv' })
      .redirects(0)
    response.assertStatus(200)
    assert.include(response.text(), 'Would add 1')
    assert.include(response.text(), 'cecilia@example.org')
    assert.lengthOf(await invitesOf(organisation.id, meeting.id), 0)
  })

  test('single invite and revoke; a plain participant is refused', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation('Invites Admin Org 2')
    const moderator = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator })
    const browser = await loginAdmin(client, host, moderator)
    const path = `/admin/meetings/${meeting.id}/invitations`
    await visit(browser, path)
    await submit(browser, path, { 'email': 'carl@example.org', 'roles[0]': 'pa', 'roles[1]': 'pv' })
    const [invite] = await invitesOf(organisation.id, meeting.id)
    assert.equal(invite.state, 'open')
    assert.sameMembers(invite.roles, ['pa', 'pv'])

    const page = (await visit(browser, path)).text()
    assert.include(page, `${path}/${invite.id}/revoke`)
    await submit(browser, `${path}/${invite.id}/revoke`, {})
    const [revoked] = await invitesOf(organisation.id, meeting.id)
    assert.equal(revoked.state, 'revoked')

    const member = await givenUser(organisation)
    await givenRoles(meeting, member, ['pa'])
    const plain = await loginAdmin(client, host, member)
    ;(await visit(plain, path)).assertStatus(403)
    await submit(plain, path, { email: 'dora@example.org' })
    assert.lengthOf(await invitesOf(organisation.id, meeting.id), 1)
  })
})
