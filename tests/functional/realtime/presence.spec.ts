import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import RealtimeConnection from '#models/realtime_connection'
import { forgetTouches, touchUser } from '#realtime/presence'
import { givenOrganisation, givenUser } from '#tests/helpers/world'

async function connection(organisationId: number, userId: number, closed = false) {
  const long = DateTime.utc().minus({ hours: 2 }).startOf('second')
  return RealtimeConnection.create({
    organisationId,
    userId,
    streamUid: `test-${userId}-${closed}`,
    authRef: null,
    instance: 'test',
    openedAt: long,
    lastAction: long,
    closedAt: closed ? long : null,
    code: closed ? 1000 : null,
  })
}

test.group('Presence | activity of users (domain §17.5)', (group) => {
  group.each.setup(() => forgetTouches())

  test('touches that arrive together update every open stream of those users, at most once a minute', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const users = [
      await givenUser(organisation),
      await givenUser(organisation),
      await givenUser(organisation),
    ]
    const open = await Promise.all(users.map((user) => connection(organisation.id, user.id)))
    const closed = await connection(organisation.id, users[0].id, true)
    const before = open[0].lastAction

    const now = Date.now()
    const touched = await Promise.all(users.map((user) => touchUser(organisation.id, user.id, now)))
    assert.deepEqual(touched, [true, true, true])
    const reread = async (row: RealtimeConnection) =>
      (await RealtimeConnection.findInOrganisation(organisation.id, row.id))!.lastAction.toMillis()
    for (const row of open) assert.isAbove(await reread(row), before.toMillis())
    assert.equal(await reread(closed), before.toMillis())

    // Within the minute: nothing written.
    assert.isFalse(await touchUser(organisation.id, users[0].id, now + 1000))
    assert.isTrue(await touchUser(organisation.id, users[0].id, now + 61_000))
  })
})
