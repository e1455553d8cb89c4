import { test } from '@japa/runner'
import type { ApiClient, ApiRequest } from '@japa/api-client'
import AuditEntry from '#models/audit_entry'
import MeetingApiKey from '#models/meeting_api_key'
import MeetingInvite from '#models/meeting_invite'
import MeetingRole from '#models/meeting_role'
import type Meeting from '#models/meeting'
import type Organisation from '#models/organisation'
import CreateMeeting from '#actions/meetings/create_meeting'
import CreateInvites from '#actions/invitations/create_invites'
import { RespondToInvite } from '#actions/invitations/respond_to_invite'
import { systemActor } from '#services/audit_log'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'

/**
 * Token-API invite operations (domain §18.4, api.md §6.23): confined to the
 * key's meeting, scope-checked, and audited as the key.
 */
const cli = systemActor('cli')

async function givenKeyedMeeting(
  client: ApiClient,
  scopes: string[],
  organisation?: Organisation,
  host?: string
) {
  const org = organisation && host ? { organisation, host } : await givenOrganisation()
  const moderator = await givenUser(org.organisation)
  const meeting = await new CreateMeeting().execute({
    organisation: org.organisation,
    title: 'Keyed',
    creator: moderator,
    erPolicyName: 'auto_before_poll',
    actor: cli,
  })
  const session = await loginBrowser(client, org.host, moderator)
  const response = await asBrowser(client.post('/api/meeting-api-keys'), session).json({
    meeting: meeting.id,
    name: 'CRM sync',
    scopes,
  })
  response.assertStatus(201)
  const key = await MeetingApiKey.forOrganisation(org.organisation.id)
    .where('prefix', response.body().prefix)
    .firstOrFail()
  return { ...org, meeting, moderator, session, raw: response.body().key as string, key }
}

async function givenInvites(
  organisation: Organisation,
  meeting: Meeting,
  emails: string[],
  roles = ['pa']
) {
  await new CreateInvites().execute({
    organisation,
    meeting,
    rows: emails.map((email) => ({ email })),
    roles,
    actor: cli,
  })
  return MeetingInvite.forOrganisation(organisation.id)
    .where('meeting_id', meeting.id)
    .orderBy('id')
}

const withKey = (request: ApiRequest, host: string, key: string) =>
  request.header('host', host).header('authorization', `Api-Key ${key}`)

test.group('Token API | invites (domain §18.4)', () => {
  test('creates invites in the key meeting only, supports dryrun, audited as the key', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, raw, key, session } = await givenKeyedMeeting(client, [
      'invites.*',
    ])
    const other = await new CreateMeeting().execute({
      organisation,
      title: 'Other',
      creator: null,
      actor: cli,
    })

    const dry = await withKey(client.post('/api/token-api/invites'), host, raw).json({
      data: [{ email: 'a@example.org' }],
      dryrun: true,
    })
    dry.assertStatus(200)
    assert.equal(dry.body().invites.added, 1)
    assert.isTrue(dry.body().dryrun)
    assert.lengthOf(
      await MeetingInvite.forOrganisation(organisation.id).where('meeting_id', meeting.id),
      0
    )

    // Invite creation runs under the caller's request lock with a cool-down (domain §4.5),
    // and every key is its own caller: a second key of the meeting creates at once.
    const cooled = await withKey(client.post('/api/token-api/invites'), host, raw).json({
      data: [{ email: 'c@example.org' }],
    })
    cooled.assertStatus(429)
    assert.equal(cooled.body().errors[0].code, 'request.cooldown')
    const second = await asBrowser(client.post('/api/meeting-api-keys'), session).json({
      meeting: meeting.id,
      name: 'second',
      scopes: ['invites.create'],
    })
    const secondKey = await MeetingApiKey.forOrganisation(organisation.id)
      .where('prefix', second.body().prefix)
      .firstOrFail()

    // A `meeting` in the body is ignored: the key's meeting is injected.
    const created = await withKey(
      client.post('/api/token-api/invites'),
      host,
      second.body().key
    ).json({
      meeting: other.id,
      roles: ['pr'],
      data: [{ email: 'A@Example.org' }, { email: 'b@example.org' }],
    })
    created.assertStatus(200)
    assert.equal(created.body().invites.added, 2)
    const invites = await MeetingInvite.forOrganisation(organisation.id).where(
      'meeting_id',
      meeting.id
    )
    assert.lengthOf(invites, 2)
    assert.deepEqual(invites[0].roles, ['pa', 'pr'])
    assert.lengthOf(
      await MeetingInvite.forOrganisation(organisation.id).where('meeting_id', other.id),
      0
    )

    const entries = await AuditEntry.forOrganisation(organisation.id)
      .whereIn('actor_api_key_id', [key.id, secondKey.id])
      .orderBy('id')
    assert.deepEqual(
      entries.filter((entry) => entry.actorApiKeyId === key.id).map((entry) => entry.event),
      ['meeting_invite.dry_run']
    )
    assert.includeMembers(
      entries.filter((entry) => entry.actorApiKeyId === secondKey.id).map((entry) => entry.event),
      ['meeting_invite.created']
    )
    for (const entry of entries) {
      assert.equal(
        entry.actorUserId,
        entry.actorApiKeyId === key.id ? key.userId : secondKey.userId
      )
      assert.equal(entry.source, 'token_api')
    }
  })

  test('lists with normalised identity filters (OR within, AND across) and audits the listing', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, raw, key } = await givenKeyedMeeting(client, [
      'invites.list',
    ])
    await givenInvites(organisation, meeting, ['one@example.org', 'two@example.org'])
    await givenInvites(organisation, meeting, ['three@example.org'], ['pr'])

    const all = await withKey(client.get('/api/token-api/invites'), host, raw)
    all.assertStatus(200)
    assert.lengthOf(all.body().data, 3)
    assert.equal(all.body().data[0].user_data.email, 'o***@example.org')

    const either = await withKey(
      client.get('/api/token-api/invites?email=ONE@example.org,three@example.org'),
      host,
      raw
    )
    assert.equal(either.status(), 200, JSON.stringify(either.body()))
    assert.lengthOf(either.body().data, 2)
    const both = await withKey(
      client.get('/api/token-api/invites?email=one@example.org,three@example.org&roles=pr'),
      host,
      raw
    )
    assert.lengthOf(both.body().data, 1)
    const open = await withKey(client.get('/api/token-api/invites?state=accepted'), host, raw)
    assert.lengthOf(open.body().data, 0)

    const invalid = await withKey(
      client.get('/api/token-api/invites?email=not-an-email'),
      host,
      raw
    )
    invalid.assertStatus(422)
    assert.equal(invalid.body().errors[0].field, 'email')

    const listed = await AuditEntry.forOrganisation(organisation.id)
      .where('actor_api_key_id', key.id)
      .where('event', 'meeting_invite.listed')
    assert.lengthOf(listed, 4)
    assert.equal(listed[0].action, 'access')

    // The key may only list: creating is a 403 naming the scope.
    const refused = await withKey(client.post('/api/token-api/invites'), host, raw).json({
      data: [{ email: 'x@example.org' }],
    })
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].meta.required_scope, 'invites.create')
  })

  test('an invite of meeting B is invisible to a key of meeting A', async ({ client, assert }) => {
    const a = await givenKeyedMeeting(client, ['invites.*'])
    const b = await givenKeyedMeeting(client, ['invites.*'], a.organisation, a.host)
    const [inviteB] = await givenInvites(b.organisation, b.meeting, ['b@example.org'])

    for (const request of [
      client.get(`/api/token-api/invites/${inviteB.id}`),
      client.delete(`/api/token-api/invites/${inviteB.id}`),
    ]) {
      const response = await withKey(request, a.host, a.raw)
      response.assertStatus(404)
    }
    const roles = await withKey(
      client.post(`/api/token-api/invites/${inviteB.id}/add-roles`),
      a.host,
      a.raw
    ).json({
      roles: ['pr'],
    })
    roles.assertStatus(404)
    const listed = await withKey(
      client.get('/api/token-api/invites?email=b@example.org'),
      a.host,
      a.raw
    )
    assert.lengthOf(listed.body().data, 0)
    const unchanged = await MeetingInvite.findInOrganisation(b.organisation.id, inviteB.id)
    assert.deepEqual(unchanged!.roles, ['pa'])

    ;(
      await withKey(client.get(`/api/token-api/invites/${inviteB.id}`), b.host, b.raw)
    ).assertStatus(200)
  })

  test('add and remove roles: requirements follow, mo is refused, accepted members follow', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, raw, key } = await givenKeyedMeeting(client, [
      'invites.add_roles',
      'invites.remove_roles',
      'invites.retrieve',
    ])
    const member = await givenUser(organisation, { email: 'member@example.org' })
    const [invite] = await givenInvites(organisation, meeting, ['member@example.org'])
    await new RespondToInvite().accept(invite, member, cli)

    const added = await withKey(
      client.post(`/api/token-api/invites/${invite.id}/add-roles`),
      host,
      raw
    ).json({
      roles: ['pr', 'pv'],
    })
    added.assertStatus(200)
    // Catalogue order (domain §3.2): pa, mo, pv, di, pr.
    assert.deepEqual(added.body().roles, ['pa', 'pv', 'pr'])
    const row = await MeetingRole.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('user_id', member.id)
      .firstOrFail()
    assert.includeMembers(row.assigned, ['pa', 'pr', 'pv'])

    const removed = await withKey(
      client.post(`/api/token-api/invites/${invite.id}/remove-roles`),
      host,
      raw
    ).json({
      roles: ['pv'],
    })
    removed.assertStatus(200)
    assert.deepEqual(removed.body().roles, ['pa', 'pr'])
    const after = await MeetingRole.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('user_id', member.id)
      .firstOrFail()
    assert.notInclude(after.assigned, 'pv')

    for (const path of ['add-roles', 'remove-roles']) {
      const mo = await withKey(
        client.post(`/api/token-api/invites/${invite.id}/${path}`),
        host,
        raw
      ).json({
        roles: ['mo'],
      })
      mo.assertStatus(422)
      assert.equal(mo.body().errors[0].field, 'roles.0')
    }

    const updates = await AuditEntry.forOrganisation(organisation.id)
      .where('actor_api_key_id', key.id)
      .where('event', 'meeting_invite.updated')
    assert.lengthOf(updates, 2)
    const memberChanges = await AuditEntry.forOrganisation(organisation.id)
      .where('actor_api_key_id', key.id)
      .where('model', 'MeetingRoles')
    assert.isAtLeast(memberChanges.length, 2)
  })

  test('destroys an invite of its meeting, audited as the key', async ({ client, assert }) => {
    const { organisation, host, meeting, raw, key } = await givenKeyedMeeting(client, [
      'invites.destroy',
    ])
    const [invite] = await givenInvites(organisation, meeting, ['gone@example.org'])
    ;(await withKey(client.delete(`/api/token-api/invites/${invite.id}`), host, raw)).assertStatus(
      204
    )
    assert.isNull(await MeetingInvite.findInOrganisation(organisation.id, invite.id))
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('actor_api_key_id', key.id)
      .where('event', 'meeting_invite.deleted')
      .firstOrFail()
    assert.equal(entry.objectId, String(invite.id))
  })

  test('a browser login gets empty read results and cannot write', async ({ client, assert }) => {
    const { organisation, host, meeting, moderator } = await givenKeyedMeeting(client, [
      'invites.*',
    ])
    await givenInvites(organisation, meeting, ['someone@example.org'])
    const session = await loginBrowser(client, host, moderator)
    const list = await asBrowser(client.get('/api/token-api/invites'), session)
    list.assertStatus(200)
    assert.deepEqual(list.body().data, [])
    const write = await asBrowser(client.post('/api/token-api/invites'), session).json({
      data: [{ email: 'x@example.org' }],
    })
    write.assertStatus(401)
    assert.equal(write.body().errors[0].code, 'api_key.invalid')
  })

  test('in an archived meeting a key may read invites but not change them', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, raw } = await givenKeyedMeeting(client, ['invites.*'])
    const [invite] = await givenInvites(organisation, meeting, ['kept@example.org'])
    // Fixture shortcut: the archiving path itself is the meetings module's business.
    meeting.state = 'archived'
    await meeting.save()

    ;(await withKey(client.get('/api/token-api/invites'), host, raw)).assertStatus(200)
    const create = await withKey(client.post('/api/token-api/invites'), host, raw).json({
      data: [{ email: 'late@example.org' }],
    })
    create.assertStatus(403)
    assert.equal(create.body().errors[0].meta.permission, 'meeting_invite.change')
    ;(await withKey(client.delete(`/api/token-api/invites/${invite.id}`), host, raw)).assertStatus(
      403
    )
    const roles = await withKey(
      client.post(`/api/token-api/invites/${invite.id}/add-roles`),
      host,
      raw
    ).json({
      roles: ['pr'],
    })
    roles.assertStatus(403)
    assert.isNotNull(await MeetingInvite.findInOrganisation(organisation.id, invite.id))
  })
})
