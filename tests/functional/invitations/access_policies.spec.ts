import { test } from '@japa/runner'
import MeetingRole from '#models/meeting_role'
import AccessPolicy from '#models/access_policy'
import AuditEntry from '#models/audit_entry'
import MeetingInvite from '#models/meeting_invite'
import AccessPolicies from '#actions/access/access_policies'
import CreateInvites from '#actions/invitations/create_invites'
import { systemActor } from '#services/audit_log'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import { givenMeeting, meetingWorld, type Caller } from '#tests/helpers/meetings'
import type Meeting from '#models/meeting'

const cli = systemActor('cli')

async function rolesOf(meeting: Meeting, userId: number) {
  const row = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
    .first()
  return row?.assigned ?? []
}

test.group('Access policies | scenarios', () => {
  test('S40 joining through automatic access; an inactive policy refuses with 422', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const meeting = await givenMeeting(organisation)
    const policy = await new AccessPolicies().create(
      meeting,
      { rolesGiven: ['pr'], active: true },
      cli
    )
    const jo = await givenUser(organisation)
    const session = await loginBrowser(client, host, jo)

    const joined = await asBrowser(
      client.post(`/api/access-policy-automatic/${policy.id}/join`),
      session
    )
    joined.assertStatus(200)
    assert.deepEqual(joined.body(), { meeting: meeting.id, assigned: ['pa', 'pr'] })
    assert.sameMembers(await rolesOf(meeting, jo.id), ['pa', 'pr'])

    await new AccessPolicies().update(policy, { active: false }, cli)
    const other = await givenUser(organisation)
    const otherSession = await loginBrowser(client, host, other)
    const refused = await asBrowser(
      client.post(`/api/access-policy-automatic/${policy.id}/join`),
      otherSession
    )
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'access_policy.inactive')
    assert.deepEqual(await rolesOf(meeting, other.id), [])
  })

  test('S58 self-join through an automatic access policy', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const miaSession = await loginBrowser(client, host, mia)
    const created = await asBrowser(client.post('/api/access-policy-automatic'), miaSession).json({
      meeting: meeting.id,
      roles_given: ['pa'],
      active: true,
    })
    created.assertStatus(201)
    assert.containsSubset(created.body(), {
      meeting: meeting.id,
      name: 'automatic',
      active: true,
      roles_given: ['pa'],
    })
    meeting.visibleInLists = true
    await meeting.save()

    const jo = await givenUser(organisation, { email: 'jo@example.com' })
    // Jo also has an open email invite: joining accepts it (domain §16.4).
    await new CreateInvites().execute({
      organisation,
      meeting,
      rows: [{ email: 'jo@example.com' }],
      roles: ['pa', 'di'],
      actor: cli,
    })
    const jos = await loginBrowser(client, host, jo)
    const list = await asBrowser(client.get('/api/meetings'), jos)
    const entry = list.body().data.find((m: any) => m.id === meeting.id)
    assert.isNull(entry.current_user_roles)
    const policies = await asBrowser(client.get(`/api/meetings/${meeting.id}/access-policies`), jos)
    policies.assertStatus(200)
    assert.equal(policies.body().id, meeting.id)
    const joined = await asBrowser(
      client.post(`/api/access-policy-automatic/${policies.body().policies[0].id}/join`),
      jos
    )
    joined.assertStatus(200)
    const shown = await asBrowser(client.get(`/api/meetings/${meeting.id}`), jos)
    assert.sameMembers(shown.body().current_user_roles, ['pa', 'di'])
    const [invite] = await MeetingInvite.forOrganisation(organisation.id).where(
      'meeting_id',
      meeting.id
    )
    assert.equal(invite.state, 'accepted')
  })
})

test.group('Access policies | rules', () => {
  test('one policy per meeting; mo cannot be granted; update and delete are audited', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)

    const moderatorRole = await asBrowser(
      client.post('/api/access-policy-automatic'),
      session
    ).json({
      meeting: meeting.id,
      roles_given: ['pr', 'mo'],
    })
    moderatorRole.assertStatus(422)
    assert.equal(moderatorRole.body().errors[0].field, 'roles_given.1')
    const unknown = await asBrowser(client.post('/api/access-policy-automatic'), session).json({
      meeting: meeting.id,
      roles_given: ['boss'],
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'roles_given.0')

    const created = await asBrowser(client.post('/api/access-policy-automatic'), session).json({
      meeting: meeting.id,
      roles_given: ['proposer'],
    })
    created.assertStatus(201)
    assert.deepEqual(created.body().roles_given, ['pa', 'pr'])
    assert.isFalse(created.body().active)
    const twice = await asBrowser(client.post('/api/access-policy-automatic'), session).json({
      meeting: meeting.id,
      roles_given: [],
    })
    twice.assertStatus(422)
    assert.equal(twice.body().errors[0].code, 'access_policy.exists')

    const id = created.body().id
    const patched = await asBrowser(
      client.patch(`/api/access-policy-automatic/${id}`),
      session
    ).json({ active: true, roles_given: ['di'] })
    patched.assertStatus(200)
    assert.containsSubset(patched.body(), { active: true, roles_given: ['pa', 'di'], rev: 2 })
    const removed = await asBrowser(client.delete(`/api/access-policy-automatic/${id}`), session)
    removed.assertStatus(204)
    assert.isNull(await AccessPolicy.findInOrganisation(organisation.id, id))
    const events = (
      await AuditEntry.forOrganisation(organisation.id).where('model', 'AccessPolicy').orderBy('id')
    ).map((e) => e.event)
    assert.deepEqual(events, [
      'access_policy.created',
      'access_policy.updated',
      'access_policy.deleted',
    ])
  })

  test('who may create a policy, see the list and join', async ({ client, assert }) => {
    const world = await meetingWorld(client)
    const expectedCreate: Record<Caller, number> = {
      anonymous: 401,
      other_org_user: 422,
      org_member: 422,
      participant: 403,
      proposer: 403,
      discusser: 403,
      potential_voter: 403,
      moderator: 201,
      org_manager: 403,
      meeting_creator: 422,
    }
    for (const [caller, status] of Object.entries(expectedCreate) as Array<[Caller, number]>) {
      const response = await world
        .as(caller, client.post('/api/access-policy-automatic'))
        .json({ meeting: world.meeting.id, roles_given: ['pa'], active: true })
      assert.equal(response.status(), status, `${caller} create`)
    }
    const expectedList: Record<Caller, number> = {
      anonymous: 401,
      other_org_user: 404,
      org_member: 404,
      participant: 200,
      proposer: 200,
      discusser: 200,
      potential_voter: 200,
      moderator: 200,
      org_manager: 200, // preview
      meeting_creator: 404,
    }
    for (const [caller, status] of Object.entries(expectedList) as Array<[Caller, number]>) {
      const response = await world.as(
        caller,
        client.get(`/api/meetings/${world.meeting.id}/access-policies`)
      )
      assert.equal(response.status(), status, `${caller} list`)
    }
    const [policy] = await AccessPolicy.forOrganisation(world.organisation.id).where(
      'meeting_id',
      world.meeting.id
    )
    ;(
      await world.as('anonymous', client.post(`/api/access-policy-automatic/${policy.id}/join`))
    ).assertStatus(401)
    ;(
      await world.as(
        'other_org_user',
        client.post(`/api/access-policy-automatic/${policy.id}/join`)
      )
    ).assertStatus(404)
    ;(
      await world.as('org_member', client.post(`/api/access-policy-automatic/${policy.id}/join`))
    ).assertStatus(200)
    assert.deepEqual(await rolesOf(world.meeting, world.users.org_member.id), ['pa'])
    // A participant may not change the policy.
    ;(
      await world
        .as('participant', client.patch(`/api/access-policy-automatic/${policy.id}`))
        .json({ active: false })
    ).assertStatus(403)
  })
})
