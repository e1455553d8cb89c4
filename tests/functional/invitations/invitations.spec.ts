import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import MeetingInvite from '#models/meeting_invite'
import MeetingRole from '#models/meeting_role'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import AuditEntry from '#models/audit_entry'
import OAuth2Provider from '#models/oauth2_provider'
import UserConnection from '#models/user_connection'
import CreateInvites from '#actions/invitations/create_invites'
import { ExpireInvites, PurgeInvites } from '#actions/invitations/invitation_jobs'
import { systemActor } from '#services/audit_log'
import { withRequestLock } from '#services/request_lock'
import { type DomainError } from '#domain/errors'
import { givenOrganisation, givenUser, loginBrowser, asBrowser } from '#tests/helpers/world'
import {
  capturePublished,
  givenMeeting,
  givenRoles,
  meetingWorld,
  type Caller,
} from '#tests/helpers/meetings'
import type Meeting from '#models/meeting'
import type Organisation from '#models/organisation'

const cli = systemActor('cli')

async function rolesOf(meeting: Meeting, userId: number) {
  const row = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
    .first()
  return row?.assigned ?? []
}

/** Re-reads an invite (scoped: Model.refresh() is an unscoped query). */
async function reload(invite: MeetingInvite) {
  return (await MeetingInvite.findInOrganisation(invite.organisationId, invite.id))!
}

async function invitesOf(meeting: Meeting) {
  return MeetingInvite.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .orderBy('id')
}

async function givenGroup(meeting: Meeting, groupid: string) {
  return MeetingGroup.create({
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    title: groupid,
    body: '',
    groupid,
    votes: null,
    delegateToId: null,
    showOnSpeaker: true,
    postAs: false,
    tags: [],
    rev: 1,
  })
}

async function givenInvites(
  organisation: Organisation,
  meeting: Meeting,
  rows: Record<string, unknown>[],
  roles = ['pa']
) {
  return new CreateInvites().execute({ organisation, meeting, rows, roles, actor: cli })
}

async function moderatorWorld(client: any) {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation, { email: `mia-${Date.now()}@example.org` })
  const meeting = await givenMeeting(organisation, { moderator: mia })
  const session = await loginBrowser(client, host, mia)
  return { organisation, host, mia, meeting, session }
}

test.group('Invitations | scenarios', () => {
  test('S57 inviting by email; the invitee accepts', async ({ client, assert }) => {
    const { organisation, host, meeting, session } = await moderatorWorld(client)
    const ann = await givenUser(organisation, { email: 'ann@example.com' })
    const ben = await givenUser(organisation, { email: 'ben@example.com' })

    const types = await asBrowser(client.get('/api/invite-data-types'), session)
    types.assertStatus(200)
    assert.includeMembers(
      types.body().data.map((type: any) => type.name),
      ['email', 'group']
    )

    const { result: response, messages } = await capturePublished(() =>
      asBrowser(client.post('/api/meeting-invites'), session).json({
        meeting: meeting.id,
        roles: ['pa', 'pr', 'di'],
        data: [{ email: 'ann@example.com' }, { email: 'ben@example.com' }],
      })
    )
    response.assertStatus(200)
    assert.deepEqual(response.body(), {
      invites: { added: 2, changed: 0, existed: 0 },
      annotations: [],
      dryrun: false,
    })
    const inviteMessages = messages.filter((m) => m.type === 'meeting_invite.changed')
    assert.lengthOf(inviteMessages, 2)
    assert.equal(inviteMessages[0].channel, `meetings/${meeting.id}/invites`)
    assert.deepEqual((inviteMessages[0].data as any).user_data, { email: 'a***@example.com' })
    assert.includeMembers(
      messages
        .filter((m) => m.type === 'matched_invites.changed')
        .map((m) => `${m.channel} ${(m.data as any).count}`),
      [`users/${ann.id} 1`, `users/${ben.id} 1`]
    )

    // The moderator's invites channel starts from the invite list (masked).
    const snapshot = await asBrowser(
      client.get(`/api/realtime/snapshot?channel=meetings/${meeting.id}/invites`),
      session
    )
    snapshot.assertStatus(200)
    const section = snapshot.body().sections.find((s: any) => s.name === 'meeting_invites')
    assert.deepEqual(
      section.messages[0].items.map((i: any) => i.user_data.email),
      ['a***@example.com', 'b***@example.com']
    )

    const annSession = await loginBrowser(client, host, ann)
    const matched = await asBrowser(client.get('/api/matched-invites'), annSession)
    matched.assertStatus(200)
    assert.lengthOf(matched.body().data, 1)
    assert.containsSubset(matched.body().data[0], {
      meeting: meeting.id,
      meeting_title: meeting.title,
      roles: ['pa', 'di', 'pr'],
      state: 'open',
      user_data: { email: 'a***@example.com' },
    })

    const { result: accepted, messages: acceptMessages } = await capturePublished(() =>
      asBrowser(client.post(`/api/matched-invites/${matched.body().data[0].id}/accept`), annSession)
    )
    accepted.assertStatus(200)
    assert.deepEqual(accepted.body(), { meeting: meeting.id, assigned: ['pa', 'di', 'pr'] })
    assert.sameMembers(await rolesOf(meeting, ann.id), ['pa', 'di', 'pr'])
    const invite = (await invitesOf(meeting)).find((row) => row.email === 'ann@example.com')!
    assert.equal(invite.state, 'accepted')
    assert.equal(invite.usedBy, ann.id)
    assert.isNotNull(invite.usedAt)
    assert.includeMembers(
      acceptMessages.map((m) => `${m.channel} ${m.type}`),
      [
        `meetings/${meeting.id}/invites meeting_invite.changed`,
        `meetings/${meeting.id} roles.changed`,
      ]
    )
    // Every change is audited.
    const events = (
      await AuditEntry.forOrganisation(organisation.id).where('meeting_id', meeting.id)
    ).map((e) => e.event)
    assert.includeMembers(events, [
      'meeting_invite.created',
      'meeting_invite.accepted',
      'meeting_roles.changed',
    ])

    // Ben declines: no roles, invite rejected with Ben recorded.
    const benSession = await loginBrowser(client, host, ben)
    let benInvite = (await invitesOf(meeting)).find((row) => row.email === 'ben@example.com')!
    const declined = await asBrowser(
      client.post(`/api/matched-invites/${benInvite.id}/reject`),
      benSession
    )
    declined.assertStatus(204)
    benInvite = await reload(benInvite)
    assert.equal(benInvite.state, 'rejected')
    assert.equal(benInvite.usedBy, ben.id)
    assert.deepEqual(await rolesOf(meeting, ben.id), [])
    // Ann cannot act on Ben's invite (not revealed).
    ;(
      await asBrowser(client.post(`/api/matched-invites/${benInvite.id}/accept`), annSession)
    ).assertStatus(404)
  })

  test('S41 accepting an email invitation with a group annotation', async ({ client, assert }) => {
    const { organisation, host, meeting } = await moderatorWorld(client)
    const committee = await givenGroup(meeting, 'committee')
    const jane = await givenUser(organisation, { email: 'jane@example.com' })
    const created = await givenInvites(
      organisation,
      meeting,
      [{ email: 'jane@example.com', group: 'committee' }],
      ['pa', 'pr']
    )
    assert.deepEqual(created.annotations, [{ name: 'group', added: 1, changed: 0, existed: 0 }])

    const session = await loginBrowser(client, host, jane)
    const matched = await asBrowser(client.get('/api/matched-invites'), session)
    const { result: accepted, messages } = await capturePublished(() =>
      asBrowser(client.post(`/api/matched-invites/${matched.body().data[0].id}/accept`), session)
    )
    accepted.assertStatus(200)
    assert.sameMembers(await rolesOf(meeting, jane.id), ['pa', 'pr'])
    const membership = await GroupMembership.forOrganisation(organisation.id)
      .where('user_id', jane.id)
      .first()
    assert.equal(membership?.meetingGroupId, committee.id)
    const [invite] = await invitesOf(meeting)
    assert.equal(invite.state, 'accepted')
    assert.equal(invite.usedBy, jane.id)
    assert.includeMembers(
      messages.map((m) => `${m.channel} ${m.type}`),
      [
        `meetings/${meeting.id}/invites meeting_invite.changed`,
        `meetings/${meeting.id} roles.changed`,
        `meetings/${meeting.id} group_membership.changed`,
      ]
    )
  })

  test('S42 imports refuse conflicting roles and moderator downgrades; nothing is stored', async ({
    client,
    assert,
  }) => {
    const { organisation, host, mia, meeting, session } = await moderatorWorld(client)
    const max = await givenUser(organisation, { email: 'max@example.com' })
    max.userid = `max-${max.id}`
    await max.save()
    await givenInvites(organisation, meeting, [{ email: 'max@example.com' }], ['pa', 'mo'])
    const maxSession = await loginBrowser(client, host, max)
    const matched = await asBrowser(client.get('/api/matched-invites'), maxSession)
    ;(
      await asBrowser(
        client.post(`/api/matched-invites/${matched.body().data[0].id}/accept`),
        maxSession
      )
    ).assertStatus(200)
    assert.sameMembers(await rolesOf(meeting, max.id), ['pa', 'mo'])
    const before = (await invitesOf(meeting)).length

    const conflict = await asBrowser(client.post('/api/meeting-invites/import'), session).json({
      meeting: meeting.id,
      text: 'email,roles\nann@example.com,"pa,pr"\nann@example.com,"pa,di"\n',
    })
    conflict.assertStatus(422)
    assert.equal(conflict.body().errors[0].code, 'invites.conflicting_roles')
    assert.deepEqual(conflict.body().errors[0].meta.rows, [2, 3])
    assert.lengthOf(await invitesOf(meeting), before)

    // A second browser login of Mia: the first one is in its 5-second cool-down (domain §4.5).
    const mia2 = await loginBrowser(client, host, mia)
    const downgrade = await asBrowser(client.post('/api/meeting-invites'), mia2).json({
      meeting: meeting.id,
      roles: ['pa'],
      data: [{ email: 'max@example.com' }],
    })
    downgrade.assertStatus(422)
    assert.equal(downgrade.body().errors[0].code, 'invites.moderator_downgrade')
    assert.deepEqual(downgrade.body().errors[0].meta.userids, [max.userid])
    assert.sameMembers(await rolesOf(meeting, max.id), ['pa', 'mo'])
    assert.deepEqual((await invitesOf(meeting)).find((i) => i.email === 'max@example.com')!.roles, [
      'pa',
      'mo',
    ])
  })
})

test.group('Invitations | creation pipeline', () => {
  test('CSV upload: good rows, roles column, blank lines; counts; re-import changes, re-opens and keeps', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting, session } = await moderatorWorld(client)
    await givenGroup(meeting, 'board')
    const csv = 'email,roles,group\nann@example.com,"pa,pr",board\n\nben@example.com,,\n'
    const upload = await asBrowser(client.post('/api/meeting-invites/import'), session)
      .field('meeting', String(meeting.id))
      .field('roles', 'pa di')
      .file('file', Buffer.from(csv), { filename: 'invites.csv', contentType: 'text/csv' })
    upload.assertStatus(200)
    assert.deepEqual(upload.body(), {
      invites: { added: 2, changed: 0, existed: 0 },
      annotations: [{ name: 'group', added: 1, changed: 0, existed: 0 }],
      dryrun: false,
    })
    const invites = await invitesOf(meeting)
    assert.deepEqual(
      invites.map((i) => [i.email, i.roles]),
      [
        ['ann@example.com', ['pa', 'pr']],
        ['ben@example.com', ['pa', 'di']],
      ]
    )

    // Revoke Ben's, then re-import: Ann unchanged, Ben re-opened (D50), Cleo added.
    invites[1].state = 'revoked'
    await invites[1].save()
    const again = await new CreateInvites().execute({
      organisation,
      meeting,
      rows: [
        { email: 'ann@example.com', roles: 'pa pr' },
        { email: 'ben@example.com' },
        { email: 'cleo@example.com' },
      ],
      roles: ['pa', 'di'],
      actor: cli,
    })
    assert.deepEqual(again.invites, { added: 1, changed: 1, existed: 1 })
    invites[1] = await reload(invites[1])
    assert.equal(invites[1].state, 'open')
    const reopened = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'meeting_invite.reopened')
      .where('object_id', String(invites[1].id))
    assert.lengthOf(reopened, 1)
  })

  test('bad rows name the file line and field; nothing is stored', async ({ client, assert }) => {
    const { meeting, session } = await moderatorWorld(client)
    const response = await asBrowser(client.post('/api/meeting-invites/import'), session).json({
      meeting: meeting.id,
      text: 'email\nok@example.com\n\nnot-an-email\n',
    })
    response.assertStatus(422)
    assert.containsSubset(response.body().errors[0], {
      code: 'validation.failed',
      field: 'file.line.4.email',
    })
    assert.lengthOf(await invitesOf(meeting), 0)
  })

  test('unknown column, unknown group, unreadable file, XLSX asks for CSV', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting } = await moderatorWorld(client)
    const run = (rows: Record<string, unknown>[]) =>
      givenInvites(organisation, meeting, rows).catch((e: DomainError) => e)
    assert.equal(((await run([{ mail: 'a@b.se' }])) as DomainError).details.field, 'data.0.mail')
    assert.equal(
      ((await run([{ email: 'a@b.se', group: 'nope' }])) as DomainError).details.field,
      'data.0.group'
    )
    assert.lengthOf(await invitesOf(meeting), 0)
  })

  test('oversized upload → 413, too many rows → 422, duplicate identity → 422 naming the rows', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting, session } = await moderatorWorld(client)
    const big = 'email\n' + 'x'.repeat(2 * 1024 * 1024 + 10)
    const tooLarge = await asBrowser(client.post('/api/meeting-invites/import'), session)
      .field('meeting', String(meeting.id))
      .file('file', Buffer.from(big), { filename: 'big.csv', contentType: 'text/csv' })
    tooLarge.assertStatus(413)
    assert.equal(tooLarge.body().errors[0].code, 'payload.too_large')

    const other = await givenUser(organisation)
    await givenRoles(meeting, other, ['mo'])
    const otherSession = await loginBrowser(client, host, other)
    const many = Array.from({ length: 5001 }, (_, i) => ({ email: `u${i}@example.org` }))
    const tooMany = await asBrowser(client.post('/api/meeting-invites'), otherSession).json({
      meeting: meeting.id,
      data: many,
    })
    tooMany.assertStatus(422)
    assert.equal(tooMany.body().errors[0].code, 'invites.too_many_rows')

    const duplicate = await givenInvites(organisation, meeting, [
      { email: 'a@b.se' },
      { email: 'A@B.se' },
    ]).catch((e) => e)
    assert.equal(duplicate.code, 'invites.duplicate_identity')
    assert.deepEqual(duplicate.details.meta.rows, [1, 2])
    assert.lengthOf(await invitesOf(meeting), 0)
  })

  test('dry run reports counts and stores nothing; unknown JSON columns are named', async ({
    client,
    assert,
  }) => {
    const { host, mia, meeting, session } = await moderatorWorld(client)
    const unknown = await asBrowser(
      client.post('/api/meeting-invites'),
      await loginBrowser(client, host, mia)
    ).json({
      meeting: meeting.id,
      data: [{ email: 'a@example.org' }, { mail: 'b@example.org' }],
    })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'data.1.mail')
    const response = await asBrowser(client.post('/api/meeting-invites'), session).json({
      meeting: meeting.id,
      data: [{ email: 'a@example.org' }],
      dryrun: true,
    })
    response.assertStatus(200)
    assert.deepEqual(response.body(), {
      invites: { added: 1, changed: 0, existed: 0 },
      annotations: [],
      dryrun: true,
    })
    assert.lengthOf(await invitesOf(meeting), 0)
  })

  test('request lock: cool-down 429 with Retry-After; a running import → 409', async ({
    client,
    assert,
  }) => {
    const { meeting, session } = await moderatorWorld(client)
    const first = await asBrowser(client.post('/api/meeting-invites'), session).json({
      meeting: meeting.id,
      data: [{ email: 'a@example.org' }],
    })
    first.assertStatus(200)
    const second = await asBrowser(client.post('/api/meeting-invites'), session).json({
      meeting: meeting.id,
      data: [{ email: 'b@example.org' }],
    })
    second.assertStatus(429)
    assert.equal(second.body().errors[0].code, 'request.cooldown')
    assert.equal(second.header('retry-after'), '5')

    let release!: () => void
    const running = withRequestLock(
      'test-lock',
      () => new Promise<void>((resolve) => (release = resolve))
    )
    const refused = await withRequestLock('test-lock', async () => 'ran').catch(
      (error: DomainError) => error.code
    )
    assert.equal(refused, 'request.already_running')
    release()
    await running
  })
})

test.group('Invitations | moderator operations and links', () => {
  test('list (masked, filtered), show with annotations, revoke event, bulk revoke and delete', async ({
    client,
    assert,
  }) => {
    const { organisation, meeting, session } = await moderatorWorld(client)
    await givenGroup(meeting, 'board')
    await givenInvites(organisation, meeting, [
      { email: 'ann@example.com', group: 'board' },
      { email: 'ben@example.com', roles: 'pa pr' },
      { swedish_ssn: '811218-9876' },
    ])
    const list = await asBrowser(client.get(`/api/meeting-invites?meeting=${meeting.id}`), session)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((i: any) => i.user_data),
      [
        { email: 'a***@example.com' },
        { email: 'b***@example.com' },
        { swedish_ssn: '1981****-****' },
      ]
    )
    const filtered = await asBrowser(
      client.get(`/api/meeting-invites?meeting=${meeting.id}&roles=pr`),
      session
    )
    assert.deepEqual(
      filtered.body().data.map((i: any) => i.user_data.email),
      ['b***@example.com']
    )

    const [ann, ben, ssn] = await invitesOf(meeting)
    const shown = await asBrowser(client.get(`/api/meeting-invites/${ann.id}`), session)
    assert.containsSubset(shown.body(), {
      has_annotations: true,
      annotations: [{ name: 'group', groupid: 'board' }],
    })

    const events = await asBrowser(client.get(`/api/meeting-invites/${ann.id}/event`), session)
    assert.deepEqual(
      events.body().events.map((e: any) => [e.name, e.allowed]),
      [
        ['accept', false],
        ['reject', false],
        ['revoke', true],
      ]
    )
    const revoked = await asBrowser(
      client.post(`/api/meeting-invites/${ann.id}/event`),
      session
    ).json({ event: 'revoke' })
    revoked.assertStatus(200)
    assert.equal(revoked.body().state, 'revoked')
    const again = await asBrowser(
      client.post(`/api/meeting-invites/${ann.id}/event`),
      session
    ).json({ event: 'revoke' })
    again.assertStatus(422)
    assert.equal(again.body().errors[0].code, 'transition.unavailable')
    const acceptByModerator = await asBrowser(
      client.post(`/api/meeting-invites/${ben.id}/event`),
      session
    ).json({ event: 'accept' })
    acceptByModerator.assertStatus(403)

    const bulk = await asBrowser(client.post('/api/meeting-invites/bulk-revoke'), session).json({
      meeting: meeting.id,
      invites: [ann.id, ben.id],
    })
    assert.deepEqual(bulk.body(), { revoked: 1 })
    const deleted = await asBrowser(client.post('/api/meeting-invites/bulk-delete'), session).json({
      meeting: meeting.id,
      invites: [ssn.id],
    })
    assert.deepEqual(deleted.body(), { deleted: 1 })
    assert.deepEqual(
      (await invitesOf(meeting)).map((i) => i.state),
      ['revoked', 'revoked']
    )
    const foreign = await asBrowser(client.post('/api/meeting-invites/bulk-delete'), session).json({
      meeting: meeting.id,
      invites: [999999],
    })
    foreign.assertStatus(422)
    assert.equal(foreign.body().errors[0].field, 'invites.0')

    const cleared = await asBrowser(
      client.post('/api/meeting-invites/clear-annotations'),
      session
    ).json({
      meeting: meeting.id,
      types: ['group'],
    })
    assert.deepEqual(cleared.body(), { cleared: 1 })
  })

  test('invitation links: token info, accept by token, used/expired token → 410', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting } = await moderatorWorld(client)
    const result = await new CreateInvites().execute({
      organisation,
      meeting,
      rows: [{ email: 'link@example.com' }, { email: 'late@example.com' }],
      roles: ['pa', 'pr'],
      links: true,
      actor: cli,
    })
    assert.lengthOf(result.links!, 2)
    const [link, late] = result.links!

    const info = await client
      .get(`/api/invites/token-info?token=${link.token}`)
      .header('host', host)
    info.assertStatus(200)
    assert.containsSubset(info.body(), {
      meeting: meeting.id,
      meeting_title: meeting.title,
      roles: ['pa', 'pr'],
      state: 'open',
    })

    // Anyone logged in who holds the link may use it (the link is the credential).
    const holder = await givenUser(organisation)
    const session = await loginBrowser(client, host, holder)
    const accepted = await asBrowser(client.post('/api/invites/accept-token'), session).json({
      token: link.token,
    })
    accepted.assertStatus(200)
    assert.deepEqual(accepted.body(), { meeting: meeting.id, assigned: ['pa', 'pr'] })
    const used = await asBrowser(client.post('/api/invites/accept-token'), session).json({
      token: link.token,
    })
    used.assertStatus(410)
    assert.equal(used.body().errors[0].code, 'invite.token_unavailable')

    let lateInvite = (await MeetingInvite.findInOrganisation(organisation.id, late.invite!))!
    lateInvite.expires = DateTime.utc().minus({ minutes: 1 })
    await lateInvite.save()
    ;(
      await client.get(`/api/invites/token-info?token=${late.token}`).header('host', host)
    ).assertStatus(410)
    ;(
      await client.get(`/api/invites/token-info?token=${'x'.repeat(43)}`).header('host', host)
    ).assertStatus(404)
    ;(await client.get('/api/invites/token-info?token=short').header('host', host)).assertStatus(
      422
    )

    // The expiry job closes it for good.
    const { expired } = await new ExpireInvites().execute()
    assert.isAtLeast(expired, 1)
    lateInvite = await reload(lateInvite)
    assert.equal(lateInvite.state, 'expired')
  })

  test('expiry and purge jobs follow domain §16.5', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const closed = await givenMeeting(organisation, { state: 'closed' })
    closed.endTime = DateTime.utc().minus({ days: 31 })
    await closed.save()
    const open = await givenMeeting(organisation)
    await givenInvites(organisation, closed, [
      { email: 'old@example.com' },
      { email: 'new@example.com' },
    ])
    await givenInvites(organisation, open, [{ email: 'old@example.com' }])
    let [old, recent] = await invitesOf(closed)
    old.createdAt = DateTime.utc().minus({ days: 40 })
    await old.save()
    let [keep] = await invitesOf(open)
    keep.createdAt = DateTime.utc().minus({ days: 40 })
    await keep.save()

    await new ExpireInvites().execute()
    old = await reload(old)
    recent = await reload(recent)
    keep = await reload(keep)
    assert.deepEqual([old.state, recent.state, keep.state], ['expired', 'open', 'open'])

    await new PurgeInvites().execute(DateTime.utc().plus({ days: 31 }))
    assert.isNull(await MeetingInvite.findInOrganisation(organisation.id, old.id))
    assert.isNotNull(await MeetingInvite.findInOrganisation(organisation.id, recent.id))
    await new PurgeInvites().execute(DateTime.utc().plus({ days: 201 }))
    assert.isNull(await MeetingInvite.findInOrganisation(organisation.id, keep.id))
  })

  test('joining by another route auto-accepts open email invites; leaving deletes the used invite', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const meeting = await givenMeeting(organisation)
    const eve = await givenUser(organisation, { email: 'eve@example.com' })
    await givenInvites(organisation, meeting, [{ email: 'eve@example.com' }], ['pa', 'pr'])
    await givenRoles(meeting, eve, ['di'])
    const [invite] = await invitesOf(meeting)
    assert.equal(invite.state, 'accepted')
    assert.sameMembers(await rolesOf(meeting, eve.id), ['pa', 'di', 'pr'])

    const ChangeMeetingRoles = (await import('#actions/meetings/change_meeting_roles')).default
    await new ChangeMeetingRoles().execute({
      meeting,
      userIds: [eve.id],
      roles: ['pa'],
      mode: 'remove',
      actor: cli,
    })
    assert.lengthOf(await invitesOf(meeting), 0)
  })

  test('archiving a meeting expires its open invites', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const meeting = await givenMeeting(organisation, { state: 'archiving' })
    await givenInvites(organisation, meeting, [{ email: 'z@example.com' }])
    const TransitionMeeting = (await import('#actions/meetings/transition_meeting')).default
    meeting.archiveAfter = meeting.archiveAfter!.minus({ days: 4 })
    await meeting.save()
    await new TransitionMeeting().execute({
      meeting,
      event: 'archive',
      user: null,
      actor: cli,
      force: true,
    })
    assert.deepEqual(
      (await invitesOf(meeting)).map((i) => i.state),
      ['expired']
    )
  })
})

test.group('Invitations | who may', () => {
  const expected: Record<Caller, number> = {
    anonymous: 401,
    other_org_user: 422, // on their own host the meeting does not exist
    org_member: 422, // the meeting is not visible: unknown `meeting` field
    participant: 403,
    proposer: 403,
    discusser: 403,
    potential_voter: 403,
    moderator: 200,
    org_manager: 403,
    meeting_creator: 422,
  }

  test('POST /api/meeting-invites and GET /api/meeting-invites by caller', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    for (const [caller, status] of Object.entries(expected) as Array<[Caller, number]>) {
      const create = await world
        .as(caller, client.post('/api/meeting-invites'))
        .json({ meeting: world.meeting.id, data: [{ email: `${caller}@example.net` }] })
      assert.equal(create.status(), status, `${caller} create`)
      const list = await world.as(
        caller,
        client.get(`/api/meeting-invites?meeting=${world.meeting.id}`)
      )
      assert.equal(list.status(), status, `${caller} list`)
    }
    assert.deepEqual(
      (await invitesOf(world.meeting)).map((i) => i.email),
      ['moderator@example.net']
    )
  })

  test('archived meetings refuse changes; invites of another meeting are not revealed', async ({
    client,
    assert,
  }) => {
    const { organisation, host, mia, meeting, session } = await moderatorWorld(client)
    await givenInvites(organisation, meeting, [{ email: 'x@example.com' }])
    const [invite] = await invitesOf(meeting)
    const elsewhere = await givenMeeting(organisation)
    const stranger = await loginBrowser(
      client,
      host,
      (
        await MeetingRole.forOrganisation(organisation.id)
          .where('meeting_id', elsewhere.id)
          .preload('user')
          .firstOrFail()
      ).user
    )
    ;(await asBrowser(client.get(`/api/meeting-invites/${invite.id}`), stranger)).assertStatus(404)

    const archived = await givenMeeting(organisation, { moderator: mia, state: 'archiving' })
    const refused = await asBrowser(client.post('/api/meeting-invites'), session).json({
      meeting: archived.id,
      data: [{ email: 'y@example.com' }],
    })
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].code, 'permission.denied')
    assert.lengthOf(await invitesOf(archived), 0)
  })

  test('the MeetingInvite machine is published (api.md §6.1)', async ({ client, assert }) => {
    const { host } = await givenOrganisation()
    const response = await client.get('/api/state-machines/MeetingInvite').header('host', host)
    response.assertStatus(200)
    assert.containsSubset(response.body(), {
      name: 'MeetingInvite',
      initial: 'open',
      final: ['accepted', 'rejected', 'revoked', 'expired'],
    })
    assert.deepEqual(
      response.body().events.map((e: any) => [e.name, e.target, e.internal]),
      [
        ['accept', 'accepted', false],
        ['reject', 'rejected', false],
        ['revoke', 'revoked', false],
        ['expire', 'expired', true],
      ]
    )
  })

  test('identities vouched by a login provider (member id, personal number) match invites', async ({
    client,
    assert,
  }) => {
    const { organisation, host, meeting } = await moderatorWorld(client)
    const scout = await givenUser(organisation, { email: 'scout@example.com' })
    const provider = await OAuth2Provider.create({
      organisationId: organisation.id,
      providerId: 'scouts',
      title: 'Scouts',
      kind: 'oidc',
      scope: 'openid',
      clientId: 'x',
      clientSecretEncrypted: 'x',
      oidcEndpoint: 'https://id.example.org',
      pkce: true,
      primary: false,
      hidden: false,
    } as any)
    await UserConnection.create({
      organisationId: organisation.id,
      userId: scout.id,
      oauth2ProviderId: provider.id,
      uid: 'sub-1',
      extraData: { member_id: 'SC-1234', personnummer: '811218-9876' },
      extraDataAt: DateTime.utc(),
    } as any)
    await givenInvites(organisation, meeting, [
      { member_id: 'SC-1234' },
      { swedish_ssn: '198112189876' },
      { member_id: 'OTHER' },
    ])
    const session = await loginBrowser(client, host, scout)
    const matched = await asBrowser(client.get('/api/matched-invites'), session)
    assert.deepEqual(
      matched.body().data.map((i: any) => i.user_data),
      [{ member_id: 'SC*****' }, { swedish_ssn: '1981****-****' }]
    )
    const other = (await invitesOf(meeting)).find((i) => i.memberId === 'OTHER')!
    ;(
      await asBrowser(client.post(`/api/matched-invites/${other.id}/accept`), session)
    ).assertStatus(404)
    const accepted = await asBrowser(
      client.post(`/api/matched-invites/${matched.body().data[0].id}/accept`),
      session
    )
    accepted.assertStatus(200)
    assert.deepEqual(await rolesOf(meeting, scout.id), ['pa'])
  })

  test('invite data types, bulk operations and events by caller', async ({ client, assert }) => {
    const world = await meetingWorld(client)
    await givenInvites(world.organisation, world.meeting, [{ email: 'who@example.net' }])
    const [invite] = await invitesOf(world.meeting)
    const expectations: Array<[Caller, number, number, number]> = [
      // caller, data types, bulk revoke, GET event
      ['anonymous', 401, 401, 401],
      ['org_member', 403, 422, 404],
      ['participant', 403, 403, 404],
      ['org_manager', 403, 403, 404],
      ['moderator', 200, 200, 200],
    ]
    for (const [caller, types, revoke, events] of expectations) {
      assert.equal(
        (await world.as(caller, client.get('/api/invite-data-types'))).status(),
        types,
        `${caller} types`
      )
      assert.equal(
        (await world.as(caller, client.get(`/api/meeting-invites/${invite.id}/event`))).status(),
        events,
        `${caller} events`
      )
      const response = await world
        .as(caller, client.post('/api/meeting-invites/bulk-revoke'))
        .json({ meeting: world.meeting.id, invites: [invite.id] })
      assert.equal(response.status(), revoke, `${caller} revoke`)
    }
    assert.equal((await reload(invite)).state, 'revoked')
    ;(await world.as('anonymous', client.get('/api/matched-invites'))).assertStatus(401)
  })
})
