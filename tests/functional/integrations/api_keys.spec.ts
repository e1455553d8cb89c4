import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type { ApiClient, ApiRequest } from '@japa/api-client'
import AuditEntry from '#models/audit_entry'
import MeetingApiKey from '#models/meeting_api_key'
import type Meeting from '#models/meeting'
import type Organisation from '#models/organisation'
import User from '#models/user'
import CreateMeeting from '#actions/meetings/create_meeting'
import TransitionMeeting from '#actions/meetings/transition_meeting'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'
import { systemActor } from '#services/audit_log'
import {
  asBearer,
  asBrowser,
  createToken,
  givenOrganisation,
  givenUser,
  loginBrowser,
  type BrowserSession,
} from '#tests/helpers/world'

/**
 * Meeting API keys and the token API (domain §18, api.md §6.22, §6.23):
 * confinement to the key's meeting and scopes, expiry, revocation, the
 * five-key limit, and audit entries that name the key.
 */
const cli = systemActor('cli')

async function givenModeratedMeeting(organisation: Organisation, title = 'Meeting') {
  const moderator = await givenUser(organisation)
  const meeting = await new CreateMeeting().execute({
    organisation,
    title,
    creator: moderator,
    erPolicyName: 'auto_before_poll',
    actor: cli,
  })
  return { meeting, moderator }
}

async function createKey(
  client: ApiClient,
  session: BrowserSession,
  meeting: Meeting,
  scopes: string[] = ['meeting.list'],
  name = 'Integration'
) {
  const response = await asBrowser(client.post('/api/meeting-api-keys'), session).json({
    meeting: meeting.id,
    name,
    scopes,
  })
  response.assertStatus(201)
  return response.body() as {
    prefix: string
    key: string
    scopes: string[]
    user: number
    expiry: string
  }
}

const withKey = (request: ApiRequest, host: string, key: string) =>
  request.header('host', host).header('authorization', `Api-Key ${key}`)

test.group('Meeting API keys | management (api.md §6.22)', () => {
  test('a moderator creates a key: shown once, stored hashed, 120-day expiry, scopes normalised', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const session = await loginBrowser(client, host, moderator)
    const before = DateTime.utc()
    const created = await createKey(client, session, meeting, [
      'invites.create',
      'invites.*',
      'meeting.list',
      'meeting.list',
    ])
    assert.match(created.key, /^[\w-]+\.[\w-]{40,}$/)
    assert.isTrue(created.key.startsWith(`${created.prefix}.`))
    assert.deepEqual(created.scopes, ['invites.*', 'meeting.list'])
    const days = DateTime.fromISO(created.expiry).diff(before, 'days').days
    assert.closeTo(days, 120, 0.01)

    const row = await MeetingApiKey.forOrganisation(organisation.id)
      .where('prefix', created.prefix)
      .firstOrFail()
    const secret = created.key.split('.')[1]
    assert.notEqual(row.secretHash, secret)
    assert.notInclude(row.secretHash, secret)

    // The system user is inactive and named apikey-<uuid>.
    const systemUser = (await User.findInOrganisation(organisation.id, created.user))!
    assert.isFalse(systemUser.isActive)
    assert.match(systemUser.userid!, /^apikey-[0-9a-f-]{36}$/)

    const list = await asBrowser(client.get(`/api/meeting-api-keys?meeting=${meeting.id}`), session)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 1)
    assert.notProperty(list.body().data[0], 'key')
    assert.equal(list.body().data[0].prefix, created.prefix)
    const one = await asBrowser(client.get(`/api/meeting-api-keys/${created.prefix}`), session)
    one.assertStatus(200)
    assert.notProperty(one.body(), 'key')

    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'meeting_api_key.created')
      .where('object_id', String(row.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, moderator.id)
    assert.notInclude(JSON.stringify(audit.changes), secret)
  })

  test('the scope list is public; unknown scopes are refused naming the field', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const scopes = await client.get('/api/meeting-api-keys/scopes').header('host', host)
    scopes.assertStatus(200)
    assert.deepEqual(scopes.body().data, [
      'meeting.list',
      'meeting.*',
      'invites.list',
      'invites.create',
      'invites.retrieve',
      'invites.destroy',
      'invites.add_roles',
      'invites.remove_roles',
      'invites.*',
    ])
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const session = await loginBrowser(client, host, moderator)
    const bad = await asBrowser(client.post('/api/meeting-api-keys'), session).json({
      meeting: meeting.id,
      name: 'x',
      scopes: ['meeting.list', 'polls.delete'],
    })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'scopes.1')
  })

  test('only moderators manage keys; non-participants do not see the meeting', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const participant = await givenUser(organisation)
    await new ChangeMeetingRoles().execute({
      meeting,
      userIds: [participant.id],
      roles: ['pa'],
      mode: 'add',
      actor: cli,
    })
    const outsider = await givenUser(organisation)
    const created = await createKey(client, await loginBrowser(client, host, moderator), meeting)

    const asParticipant = await loginBrowser(client, host, participant)
    ;(
      await asBrowser(client.get(`/api/meeting-api-keys?meeting=${meeting.id}`), asParticipant)
    ).assertStatus(403)
    ;(
      await asBrowser(client.delete(`/api/meeting-api-keys/${created.prefix}`), asParticipant)
    ).assertStatus(403)
    const post = await asBrowser(client.post('/api/meeting-api-keys'), asParticipant).json({
      meeting: meeting.id,
      name: 'x',
      scopes: ['meeting.list'],
    })
    post.assertStatus(403)

    const asOutsider = await loginBrowser(client, host, outsider)
    ;(
      await asBrowser(client.get(`/api/meeting-api-keys/${created.prefix}`), asOutsider)
    ).assertStatus(404)
    const list = await asBrowser(
      client.get(`/api/meeting-api-keys?meeting=${meeting.id}`),
      asOutsider
    )
    list.assertStatus(422)
    assert.equal(list.body().errors[0].field, 'meeting')

    // Another organisation's moderator cannot even find the key.
    const other = await givenOrganisation()
    const { moderator: otherModerator } = await givenModeratedMeeting(other.organisation)
    const foreign = await loginBrowser(client, other.host, otherModerator)
    ;(await asBrowser(client.get(`/api/meeting-api-keys/${created.prefix}`), foreign)).assertStatus(
      404
    )
  })

  test('keys are issued only from a browser login and only while the meeting is active', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const session = await loginBrowser(client, host, moderator)
    const token = await createToken(client, session)
    const byToken = await asBearer(client.post('/api/meeting-api-keys'), host, token).json({
      meeting: meeting.id,
      name: 'x',
      scopes: ['meeting.list'],
    })
    byToken.assertStatus(403)

    let closed = await new TransitionMeeting().execute({
      meeting,
      event: 'make_ongoing',
      user: null,
      actor: cli,
      force: true,
    })
    closed = await new TransitionMeeting().execute({
      meeting: closed,
      event: 'close',
      user: null,
      actor: cli,
      force: true,
    })
    const refused = await asBrowser(client.post('/api/meeting-api-keys'), session).json({
      meeting: closed.id,
      name: 'x',
      scopes: ['meeting.list'],
    })
    refused.assertStatus(403)
    assert.equal(refused.body().errors[0].code, 'permission.denied')
  })

  test('the sixth active key is refused; a revoked or expired one does not count', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const session = await loginBrowser(client, host, moderator)
    const keys = []
    for (let index = 0; index < 5; index++)
      keys.push(await createKey(client, session, meeting, ['meeting.list'], `k${index}`))

    const sixth = await asBrowser(client.post('/api/meeting-api-keys'), session).json({
      meeting: meeting.id,
      name: 'sixth',
      scopes: ['meeting.list'],
    })
    sixth.assertStatus(422)
    assert.equal(sixth.body().errors[0].code, 'api_key.limit_reached')
    assert.equal(
      await MeetingApiKey.forOrganisation(organisation.id)
        .where('meeting_id', meeting.id)
        .count('* as n')
        .first()
        .then((r: any) => Number(r.$extras.n)),
      5
    )

    ;(
      await asBrowser(client.delete(`/api/meeting-api-keys/${keys[0].prefix}`), session)
    ).assertStatus(204)
    await createKey(client, session, meeting, ['meeting.list'], 'after revoke')

    const expiring = await MeetingApiKey.forOrganisation(organisation.id)
      .where('prefix', keys[1].prefix)
      .firstOrFail()
    expiring.expiry = DateTime.utc().minus({ minutes: 1 })
    await expiring.save()
    await createKey(client, session, meeting, ['meeting.list'], 'after expiry')
  })

  test('revoking keeps the record for audit; cycling issues a new key and deletes the old record', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const session = await loginBrowser(client, host, moderator)
    const first = await createKey(client, session, meeting)
    ;(
      await asBrowser(client.delete(`/api/meeting-api-keys/${first.prefix}`), session)
    ).assertStatus(204)
    const revoked = await asBrowser(client.get(`/api/meeting-api-keys/${first.prefix}`), session)
    assert.isNotNull(revoked.body().revoked)
    assert.isFalse(revoked.body().active)
    ;(
      await asBrowser(client.post(`/api/meeting-api-keys/${first.prefix}/cycle`), session)
    ).assertStatus(422)

    const second = await createKey(client, session, meeting, ['meeting.*'], 'to cycle')
    const cycled = await asBrowser(
      client.post(`/api/meeting-api-keys/${second.prefix}/cycle`),
      session
    )
    cycled.assertStatus(201)
    assert.notEqual(cycled.body().prefix, second.prefix)
    assert.notEqual(cycled.body().user, second.user)
    assert.deepEqual(cycled.body().scopes, ['meeting.*'])
    assert.isNull(
      await MeetingApiKey.forOrganisation(organisation.id).where('prefix', second.prefix).first()
    )
    // The old system user stays for the audit trail.
    assert.isNotNull(await User.findInOrganisation(organisation.id, second.user))
    ;(await withKey(client.get('/api/token-api/meeting'), host, second.key)).assertStatus(401)
    ;(await withKey(client.get('/api/token-api/meeting'), host, cycled.body().key)).assertStatus(
      200
    )
  })
})

test.group('Token API | confinement, scopes, expiry, audit (domain §18.3)', () => {
  test('a key reads its own meeting; the request and its audit entry name the key', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation, 'Annual meeting')
    const created = await createKey(client, await loginBrowser(client, host, moderator), meeting)

    const response = await withKey(client.get('/api/token-api/meeting'), host, created.key)
    response.assertStatus(200)
    assert.equal(response.body().id, meeting.id)
    assert.equal(response.body().title, 'Annual meeting')

    const key = await MeetingApiKey.forOrganisation(organisation.id)
      .where('prefix', created.prefix)
      .firstOrFail()
    const entries = await AuditEntry.forOrganisation(organisation.id).where(
      'actor_api_key_id',
      key.id
    )
    assert.lengthOf(entries, 1)
    assert.equal(entries[0].actorUserId, created.user)
    assert.equal(entries[0].source, 'token_api')
    assert.equal(entries[0].meetingId, meeting.id)
    assert.equal(entries[0].action, 'access')
    assert.isNotNull(key.lastUsed)
  })

  test('a key for meeting A can do nothing in meeting B or on another organisation', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const a = await givenModeratedMeeting(organisation, 'A')
    const b = await givenModeratedMeeting(organisation, 'B')
    const keyA = await createKey(client, await loginBrowser(client, host, a.moderator), a.meeting, [
      'meeting.*',
      'invites.*',
    ])

    // The token API only ever answers with the key's own meeting.
    const read = await withKey(client.get('/api/token-api/meeting'), host, keyA.key)
    assert.equal(read.body().id, a.meeting.id)
    assert.notEqual(read.body().id, b.meeting.id)

    // The key is not a user login: the rest of the API refuses it.
    for (const path of [
      `/api/meetings/${b.meeting.id}`,
      `/api/meeting-api-keys?meeting=${b.meeting.id}`,
      '/api/user',
    ]) {
      const response = await withKey(client.get(path), host, keyA.key)
      assert.equal(response.status(), 401, path)
    }
    const write = await withKey(client.post('/api/meeting-api-keys'), host, keyA.key).json({
      meeting: b.meeting.id,
      name: 'x',
      scopes: ['meeting.list'],
    })
    write.assertStatus(401)

    const other = await givenOrganisation()
    const foreign = await withKey(client.get('/api/token-api/meeting'), other.host, keyA.key)
    foreign.assertStatus(401)
    assert.equal(foreign.body().errors[0].code, 'api_key.invalid')
  })

  test('a key without the operation scope gets 403 naming the scope', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const created = await createKey(client, await loginBrowser(client, host, moderator), meeting, [
      'invites.list',
    ])
    const response = await withKey(client.get('/api/token-api/meeting'), host, created.key)
    response.assertStatus(403)
    assert.equal(response.body().errors[0].code, 'api_key.scope_missing')
    assert.equal(response.body().errors[0].meta.required_scope, 'meeting.list')
    assert.include(response.body().errors[0].message, 'meeting.list')
  })

  test('unknown, wrong, expired and revoked keys are refused with 401 api_key.invalid', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const session = await loginBrowser(client, host, moderator)
    const expired = await createKey(client, session, meeting, ['meeting.list'], 'expired')
    const revoked = await createKey(client, session, meeting, ['meeting.list'], 'revoked')
    const good = await createKey(client, session, meeting, ['meeting.list'], 'good')

    const row = await MeetingApiKey.forOrganisation(organisation.id)
      .where('prefix', expired.prefix)
      .firstOrFail()
    row.expiry = DateTime.utc().minus({ seconds: 1 })
    await row.save()
    ;(
      await asBrowser(client.delete(`/api/meeting-api-keys/${revoked.prefix}`), session)
    ).assertStatus(204)

    const attempts = [
      expired.key,
      revoked.key,
      `${good.prefix}.wrong-secret`,
      'unknown.secret',
      good.prefix,
    ]
    for (const attempt of attempts) {
      const response = await withKey(client.get('/api/token-api/meeting'), host, attempt)
      assert.equal(response.status(), 401, attempt)
      assert.equal(response.body().errors[0].code, 'api_key.invalid')
    }
    ;(await withKey(client.get('/api/token-api/meeting'), host, good.key)).assertStatus(200)
  })

  test('more than 60 requests a minute with one key are throttled', async ({ client, assert }) => {
    const { organisation, host } = await givenOrganisation()
    const { meeting, moderator } = await givenModeratedMeeting(organisation)
    const created = await createKey(client, await loginBrowser(client, host, moderator), meeting)
    for (let index = 0; index < 60; index++) {
      const ok = await withKey(client.get('/api/token-api/meeting'), host, created.key)
      assert.equal(ok.status(), 200)
    }
    const throttled = await withKey(client.get('/api/token-api/meeting'), host, created.key)
    throttled.assertStatus(429)
    assert.equal(throttled.body().errors[0].code, 'throttled')
    assert.exists(throttled.header('retry-after'))
  })

  test('a browser login may call read operations but gets an empty result; anonymous is refused and throttled', async ({
    client,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const { moderator } = await givenModeratedMeeting(organisation)
    const session = await loginBrowser(client, host, moderator)
    ;(await asBrowser(client.get('/api/token-api/meeting'), session)).assertStatus(204)
    ;(await client.get('/api/token-api/meeting').header('host', host)).assertStatus(401)
    // Anonymous callers get one request per second.
    const again = await client.get('/api/token-api/meeting').header('host', host)
    again.assertStatus(429)
  })
})
