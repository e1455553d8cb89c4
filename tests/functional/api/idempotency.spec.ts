import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import Proposal from '#models/proposal'
import CreateMeeting from '#actions/meetings/create_meeting'
import { systemActor } from '#services/audit_log'
import { purgeIdempotencyKeys } from '#services/idempotency'
import { dbTime } from '#services/db_time'
import IdempotencyPurge from '../../../commands/idempotency_purge.js'
import { runCommand } from '#tests/helpers/commands'
import {
  asBearer,
  asBrowser,
  createToken,
  givenOrganisation,
  givenUser,
  loginBrowser,
} from '#tests/helpers/world'
import { givenItem, moveMeeting } from '#tests/helpers/proposals'

async function world(client: any) {
  const { organisation, host } = await givenOrganisation()
  const mia = await givenUser(organisation)
  let meeting = await new CreateMeeting().execute({
    organisation,
    title: 'M1',
    creator: mia,
    erPolicyName: 'auto_before_poll',
    actor: systemActor('cli'),
  })
  meeting = await moveMeeting(meeting, 'ongoing')
  const item = await givenItem(meeting, 'ongoing')
  const session = await loginBrowser(client, host, mia)
  return { organisation, host, mia, meeting, item, session }
}

const proposalCount = async (organisationId: number, itemId: number) =>
  (await Proposal.forOrganisation(organisationId).where('agenda_item_id', itemId)).length

test.group('Idempotency-Key on POST (api.md §1)', () => {
  test('a repeated create returns the first answer and creates nothing more', async ({
    client,
    assert,
  }) => {
    const { organisation, item, session } = await world(client)
    const send = () =>
      asBrowser(client.post('/api/proposals'), session)
        .header('Idempotency-Key', 'create-proposal-1')
        .json({ shortname: 'proposal', agenda_item: item.id, body: '<p>Build a bridge</p>' })
    const first = await send()
    first.assertStatus(201)
    assert.isUndefined(first.header('idempotent-replayed'))
    const again = await send()
    again.assertStatus(201)
    assert.equal(again.header('idempotent-replayed'), 'true')
    assert.deepEqual(again.body(), first.body())
    assert.equal(await proposalCount(organisation.id, item.id), 1)

    // Without the header, or with another key, it is a new request.
    ;(
      await asBrowser(client.post('/api/proposals'), session)
        .header('Idempotency-Key', 'create-proposal-2')
        .json({ shortname: 'proposal', agenda_item: item.id, body: '<p>Build a bridge</p>' })
    ).assertStatus(201)
    assert.equal(await proposalCount(organisation.id, item.id), 2)
  })

  test('the same key with another request is refused; keys are per user', async ({
    client,
    assert,
  }) => {
    const { organisation, host, item, session, meeting } = await world(client)
    ;(
      await asBrowser(client.post('/api/proposals'), session)
        .header('Idempotency-Key', 'k1')
        .json({ shortname: 'proposal', agenda_item: item.id, body: '<p>One</p>' })
    ).assertStatus(201)
    const reused = await asBrowser(client.post('/api/proposals'), session)
      .header('Idempotency-Key', 'k1')
      .json({ shortname: 'proposal', agenda_item: item.id, body: '<p>Two</p>' })
    reused.assertStatus(422)
    assert.equal(reused.body().errors[0].code, 'idempotency.key_reused')
    assert.equal(reused.body().errors[0].field, 'Idempotency-Key')

    // Another user (a moderator of the same meeting, through a bearer token) may use the same key.
    const other = await givenUser(organisation)
    const { givenRoles } = await import('#tests/helpers/meetings')
    await givenRoles(meeting, other, ['mo'])
    const token = await createToken(client, await loginBrowser(client, host, other))
    const theirs = await asBearer(client.post('/api/proposals'), host, token)
      .header('Idempotency-Key', 'k1')
      .json({ shortname: 'proposal', agenda_item: item.id, body: '<p>Two</p>' })
    theirs.assertStatus(201)
    assert.isUndefined(theirs.header('idempotent-replayed'))
    assert.equal(await proposalCount(organisation.id, item.id), 2)
  })

  test('client errors are replayed too; a bad key names the header', async ({ client, assert }) => {
    const { item, session } = await world(client)
    const send = () =>
      asBrowser(client.post('/api/proposals'), session)
        .header('Idempotency-Key', 'invalid-body')
        .json({ shortname: 'proposal', agenda_item: item.id })
    const first = await send()
    first.assertStatus(422)
    const again = await send()
    again.assertStatus(422)
    assert.equal(again.header('idempotent-replayed'), 'true')
    assert.deepEqual(again.body(), first.body())

    const bad = await asBrowser(client.post('/api/proposals'), session)
      .header('Idempotency-Key', 'x'.repeat(256))
      .json({ shortname: 'proposal', agenda_item: item.id, body: '<p>x</p>' })
    bad.assertStatus(422)
    assert.equal(bad.body().errors[0].field, 'Idempotency-Key')
  })

  test('a request still running answers 409; an expired key is a new request', async ({
    client,
    assert,
  }) => {
    const { organisation, mia, item, session } = await world(client)
    const body = { shortname: 'proposal', agenda_item: item.id, body: '<p>Slow</p>' }
    const send = () =>
      asBrowser(client.post('/api/proposals'), session).header('Idempotency-Key', 'slow').json(body)
    // The claim of a first request that has not answered yet.
    const first = await send()
    first.assertStatus(201)
    await db
      .from('idempotency_keys')
      .where('user_id', mia.id)
      .where('key', 'slow')
      .update({ status: null })
    const running = await send()
    running.assertStatus(409)
    assert.equal(running.body().errors[0].code, 'idempotency.in_progress')

    // 25 hours later the key is free again, and the purge removes old answers.
    const old = dbTime(DateTime.utc().minus({ hours: 25 }))
    await db.from('idempotency_keys').where('user_id', mia.id).update({ created_at: old })
    ;(await send()).assertStatus(201)
    assert.equal(await proposalCount(organisation.id, item.id), 2)
    await db.from('idempotency_keys').where('user_id', mia.id).update({ created_at: old })
    const purge = await runCommand(IdempotencyPurge, [])
    assert.match(purge.stdout, /Deleted [1-9]\d* expired idempotency key/)
    assert.lengthOf(await db.from('idempotency_keys').where('user_id', mia.id), 0)
    assert.equal(Number(await purgeIdempotencyKeys()), 0)
  })
})
