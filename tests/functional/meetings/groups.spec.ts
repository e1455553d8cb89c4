import { test } from '@japa/runner'
import MeetingRole from '#models/meeting_role'
import GroupMembership from '#models/group_membership'
import AuditEntry from '#models/audit_entry'
import type Meeting from '#models/meeting'
import type User from '#models/user'
import { registerDialectResolver } from '#transformers/meeting_transformer'
import {
  asBrowser,
  givenOrganisation,
  givenUser,
  loginBrowser,
  type BrowserSession,
} from '#tests/helpers/world'
import { capturePublished, givenMeeting, givenRoles } from '#tests/helpers/meetings'
import type { ApiClient } from '@japa/api-client'

async function rolesOf(meeting: Meeting, user: User) {
  const row = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', user.id)
    .first()
  return row?.assigned ?? []
}

async function setup(client: ApiClient) {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation)
  const ulf = await givenUser(organisation)
  const meeting = await givenMeeting(organisation, { moderator: mia })
  await givenRoles(meeting, ulf, ['pa'])
  const session = await loginBrowser(client, host, mia)
  const post = (path: string, body: object) => asBrowser(client.post(path), session).json(body)
  const patch = (path: string, body: object) => asBrowser(client.patch(path), session).json(body)
  const del = (path: string) => asBrowser(client.delete(path), session)
  return {
    organisation,
    host,
    mia,
    ulf,
    meeting,
    session: session as BrowserSession,
    post,
    patch,
    del,
  }
}

test.group('Groups | meeting groups (domain §7.2)', () => {
  test('groupid is a slug of the title with -1…-5 suffixes, then 422 asking for one (D11)', async ({
    client,
    assert,
  }) => {
    const { meeting, post } = await setup(client)
    const ids: string[] = []
    for (let n = 0; n < 6; n++) {
      const response = await post('/api/meeting-groups', {
        meeting: meeting.id,
        title: 'Södra Länet!',
      })
      response.assertStatus(201)
      ids.push(response.body().groupid)
    }
    assert.deepEqual(ids, [
      'sodra-lanet',
      'sodra-lanet-1',
      'sodra-lanet-2',
      'sodra-lanet-3',
      'sodra-lanet-4',
      'sodra-lanet-5',
    ])
    const exhausted = await post('/api/meeting-groups', {
      meeting: meeting.id,
      title: 'Södra länet',
    })
    exhausted.assertStatus(422)
    assert.equal(exhausted.body().errors[0].field, 'groupid')
    const explicit = await post('/api/meeting-groups', {
      meeting: meeting.id,
      title: 'Södra länet',
      groupid: 'sodra-6',
    })
    explicit.assertStatus(201)
    const duplicate = await post('/api/meeting-groups', {
      meeting: meeting.id,
      title: 'X',
      groupid: 'sodra-6',
    })
    duplicate.assertStatus(422)
    assert.deepInclude(duplicate.body().errors[0], { field: 'groupid', rule: 'unique' })
  })

  test('payload, realtime and audit of a group', async ({ client, assert }) => {
    const { meeting, post, organisation } = await setup(client)
    const { result, messages } = await capturePublished(() =>
      post('/api/meeting-groups', {
        meeting: meeting.id,
        title: 'Board',
        body: '<p>Our #board</p>',
        tags: ['Kommun'],
        votes: 3,
        post_as: true,
      })
    )
    result.assertStatus(201)
    assert.deepEqual(result.body(), {
      id: result.body().id,
      rev: 1,
      meeting: meeting.id,
      title: 'Board',
      body: '<p>Our #board</p>',
      groupid: 'board',
      tags: ['board', 'kommun'],
      votes: 3,
      delegate_to: null,
      post_as: true,
      show_on_speaker: true,
    })
    assert.deepEqual(
      messages.map((message) => `${message.channel} ${message.type}`),
      [`meetings/${meeting.id} meeting_group.changed`]
    )
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'meeting_group.created')
      .where('object_id', String(result.body().id))
      .firstOrFail()
    assert.deepEqual(entry.changes.votes, [null, 3])
  })

  test('lowering votes keeps allocations in creation order within the new total (D12)', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting, post, patch } = await setup(client)
    const members = [
      await givenUser(organisation),
      await givenUser(organisation),
      await givenUser(organisation),
    ]
    for (const member of members) await givenRoles(meeting, member, ['pa'])
    const group = (
      await post('/api/meeting-groups', { meeting: meeting.id, title: 'G', votes: 10 })
    ).body()
    const ids: number[] = []
    for (const [index, member] of members.entries()) {
      const response = await post('/api/group-memberships', {
        meeting_group: group.id,
        user: member.id,
        votes: [3, 4, 2][index],
      })
      response.assertStatus(201)
      ids.push(response.body().id)
    }
    ;(await patch(`/api/meeting-groups/${group.id}`, { votes: 7 })).assertStatus(200)
    const rows = await GroupMembership.forOrganisation(organisation.id)
      .whereIn('id', ids)
      .orderBy('id')
    assert.deepEqual(
      rows.map((row) => row.votes),
      [3, 4, null]
    )
  })

  test('delegation needs a dialect with groups_can_delegate; self, cycles and deleting targets are refused', async ({
    client,
    assert,
  }) => {
    const { meeting, post, patch, del } = await setup(client)
    const a = (await post('/api/meeting-groups', { meeting: meeting.id, title: 'A' })).body()
    const b = (await post('/api/meeting-groups', { meeting: meeting.id, title: 'B' })).body()
    const c = (await post('/api/meeting-groups', { meeting: meeting.id, title: 'C' })).body()
    const noDialect = await patch(`/api/meeting-groups/${a.id}`, { delegate_to: b.id })
    noDialect.assertStatus(422)
    assert.equal(noDialect.body().errors[0].field, 'delegate_to')

    meeting.installedDialect = 'delegating'
    await meeting.save()
    const previous = registerDialectResolver((_organisation, name) =>
      name === 'delegating' ? { name, groups_can_delegate: true } : null
    )
    try {
      ;(await patch(`/api/meeting-groups/${a.id}`, { delegate_to: b.id })).assertStatus(200)
      ;(await patch(`/api/meeting-groups/${b.id}`, { delegate_to: c.id })).assertStatus(200)
      const cycle = await patch(`/api/meeting-groups/${c.id}`, { delegate_to: a.id })
      cycle.assertStatus(422)
      assert.equal(cycle.body().errors[0].rule, 'cycle')
      const self = await patch(`/api/meeting-groups/${c.id}`, { delegate_to: c.id })
      assert.equal(self.body().errors[0].rule, 'cycle')
      const target = await del(`/api/meeting-groups/${b.id}`)
      target.assertStatus(403)
      ;(await del(`/api/meeting-groups/${a.id}`)).assertStatus(204)
      ;(await del(`/api/meeting-groups/${b.id}`)).assertStatus(204)
    } finally {
      registerDialectResolver(previous)
    }
  })

  test('bulk create parses lines, refuses bad lines whole; bulk delete only while upcoming', async ({
    client,
    assert,
  }) => {
    const { meeting, post, organisation, host, mia } = await setup(client)
    const bad = await post('/api/meeting-groups/bulk-create', {
      meeting: meeting.id,
      groups: 'One\tone\t2\nTwo\tTwo Bad',
    })
    bad.assertStatus(422)
    assert.deepInclude(bad.body().errors[0], { field: 'groups', meta: { line: 2 } })
    const good = await post('/api/meeting-groups/bulk-create', {
      meeting: meeting.id,
      groups: 'One\tone\t2\n\nTwo\ttwo\n',
    })
    good.assertStatus(200)
    assert.equal(good.body().created, 2)
    assert.deepEqual(
      good
        .body()
        .data.map((group: { groupid: string; votes: number | null }) => [
          group.groupid,
          group.votes,
        ]),
      [
        ['one', 2],
        ['two', null],
      ]
    )
    // within the cool-down of the heavy request lock (domain §4.5, D6)
    const tooSoon = await post('/api/meeting-groups/bulk-create', {
      meeting: meeting.id,
      groups: 'Three\tthree',
    })
    tooSoon.assertStatus(429)
    assert.equal(tooSoon.body().errors[0].code, 'request.cooldown')
    // another browser login is another caller
    const other = await loginBrowser(client, host, mia)
    const clash = await asBrowser(client.post('/api/meeting-groups/bulk-create'), other).json({
      meeting: meeting.id,
      groups: 'Again\tone',
    })
    clash.assertStatus(422)
    assert.equal(clash.body().errors[0].rule, 'unique')
    const ids = good.body().data.map((group: { id: number }) => group.id)
    const deleted = await post('/api/meeting-groups/bulk-delete', {
      meeting: meeting.id,
      groups: ids,
    })
    deleted.assertStatus(200)
    assert.deepEqual(deleted.body(), { deleted: 2 })
    const entries = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('event', 'meeting_group.deleted')
    assert.lengthOf(entries, 2)
  })

  test('bulk delete is refused while the meeting is not upcoming', async ({ client, assert }) => {
    const { organisation, host, mia } = await setup(client)
    const meeting = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const session = await loginBrowser(client, host, mia)
    const group = (
      await asBrowser(client.post('/api/meeting-groups'), session).json({
        meeting: meeting.id,
        title: 'G',
      })
    ).body()
    const refused = await asBrowser(client.post('/api/meeting-groups/bulk-delete'), session).json({
      meeting: meeting.id,
      groups: [group.id],
    })
    refused.assertStatus(422)
    const list = await asBrowser(client.get(`/api/meeting-groups?meeting=${meeting.id}`), session)
    assert.deepEqual(
      list.body().data.map((row: { id: number }) => row.id),
      [group.id]
    )
  })
})

test.group('Groups | memberships and group roles grant meeting roles (domain §3.5)', () => {
  test('members must be participants; duplicates refused', async ({ client, assert }) => {
    const { organisation, meeting, post, ulf } = await setup(client)
    const outsider = await givenUser(organisation)
    const group = (await post('/api/meeting-groups', { meeting: meeting.id, title: 'G' })).body()
    const refused = await post('/api/group-memberships', {
      meeting_group: group.id,
      user: outsider.id,
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'user')
    ;(await post('/api/group-memberships', { meeting_group: group.id, user: ulf.id })).assertStatus(
      201
    )
    const duplicate = await post('/api/group-memberships', {
      meeting_group: group.id,
      user: ulf.id,
    })
    duplicate.assertStatus(422)
    assert.equal(duplicate.body().errors[0].rule, 'unique')
    const unknownGroup = await post('/api/group-memberships', {
      meeting_group: 999999,
      user: ulf.id,
    })
    assert.equal(unknownGroup.body().errors[0].field, 'meeting_group')
  })

  test('a group role grants its roles; revocation keeps roles still granted by another membership', async ({
    client,
    assert,
  }) => {
    const { meeting, post, patch, del, ulf } = await setup(client)
    const voter = (
      await post('/api/group-roles', {
        meeting: meeting.id,
        title: 'Voter',
        role_id: 'voter',
        roles: ['potential_voter'],
      })
    ).body()
    assert.deepEqual(voter.roles, ['pv'])
    const g1 = (await post('/api/meeting-groups', { meeting: meeting.id, title: 'G1' })).body()
    const g2 = (await post('/api/meeting-groups', { meeting: meeting.id, title: 'G2' })).body()
    const m1 = (
      await post('/api/group-memberships', { meeting_group: g1.id, user: ulf.id, role: voter.id })
    ).body()
    assert.sameMembers(await rolesOf(meeting, ulf), ['pa', 'pv'])
    const m2 = (
      await post('/api/group-memberships', { meeting_group: g2.id, user: ulf.id, role: voter.id })
    ).body()
    ;(await del(`/api/group-memberships/${m1.id}`)).assertStatus(204)
    assert.sameMembers(await rolesOf(meeting, ulf), ['pa', 'pv'])
    ;(await patch(`/api/group-memberships/${m2.id}`, { role: null })).assertStatus(200)
    assert.deepEqual(await rolesOf(meeting, ulf), ['pa'])
    ;(await patch(`/api/group-memberships/${m2.id}`, { role: voter.id })).assertStatus(200)
    assert.sameMembers(await rolesOf(meeting, ulf), ['pa', 'pv'])
    // changing the group role's roles moves every holder along
    ;(await patch(`/api/group-roles/${voter.id}`, { roles: ['pr'] })).assertStatus(200)
    assert.sameMembers(await rolesOf(meeting, ulf), ['pa', 'pr'])
    // deleting the group role keeps the membership with role null and revokes what it granted (D58)
    ;(await del(`/api/group-roles/${voter.id}`)).assertStatus(204)
    assert.deepEqual(await rolesOf(meeting, ulf), ['pa'])
    const membership = await GroupMembership.findInOrganisation(meeting.organisationId, m2.id)
    assert.isNull(membership!.groupRoleId)
  })

  test('removing pa deletes the user group memberships (domain §3.6)', async ({
    client,
    assert,
  }) => {
    const { meeting, post, ulf } = await setup(client)
    const group = (await post('/api/meeting-groups', { meeting: meeting.id, title: 'G' })).body()
    ;(await post('/api/group-memberships', { meeting_group: group.id, user: ulf.id })).assertStatus(
      201
    )
    const { messages } = await capturePublished(() =>
      post('/api/meeting-roles/remove', { context: meeting.id, users: [ulf.id], roles: ['pa'] })
    )
    assert.isTrue(messages.some((message) => message.type === 'group_membership.deleted'))
    assert.isNull(
      await GroupMembership.forOrganisation(meeting.organisationId).where('user_id', ulf.id).first()
    )
  })

  test('group roles: unique title and role_id, random role_id, unknown roles refused', async ({
    client,
    assert,
  }) => {
    const { meeting, post } = await setup(client)
    const first = await post('/api/group-roles', {
      meeting: meeting.id,
      title: 'Main',
      roles: ['pv'],
    })
    first.assertStatus(201)
    assert.match(first.body().role_id, /^[a-z]{8}$/)
    const sameTitle = await post('/api/group-roles', {
      meeting: meeting.id,
      title: 'Main',
      roles: [],
    })
    assert.equal(sameTitle.body().errors[0].field, 'title')
    const sameId = await post('/api/group-roles', {
      meeting: meeting.id,
      title: 'Other',
      role_id: first.body().role_id,
      roles: [],
    })
    assert.equal(sameId.body().errors[0].field, 'role_id')
    const unknown = await post('/api/group-roles', {
      meeting: meeting.id,
      title: 'Bad',
      roles: ['boss'],
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'roles.0')
  })
})
