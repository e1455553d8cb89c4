import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { Locator, QueueManager, Schedule } from '@adonisjs/queue'
import AuditEntry from '#models/audit_entry'
import MeetingInvite from '#models/meeting_invite'
import PartialLogin from '#models/partial_login'
import Poll from '#models/poll'
import RealtimeConnection from '#models/realtime_connection'
import UserConnection from '#models/user_connection'
import CreateInvites from '#actions/invitations/create_invites'
import TransitionMeeting from '#actions/meetings/transition_meeting'
import { systemActor } from '#services/audit_log'
import { dbTime } from '#services/db_time'
import { registerSchedules } from '#start/scheduler'
import ArchiveDueMeetingsJob from '#jobs/archive_due_meetings_job'
import ClearPartialLoginsJob from '#jobs/clear_partial_logins_job'
import ClearProviderExtraDataJob from '#jobs/clear_provider_extra_data_job'
import CloseDuePollsJob from '#jobs/close_due_polls_job'
import CloseStaleConnectionsJob from '#jobs/close_stale_connections_job'
import ExpireInvitesJob from '#jobs/expire_invites_job'
import PurgeDeletedMeetingsJob from '#jobs/purge_deleted_meetings_job'
import PurgeIdempotencyKeysJob from '#jobs/purge_idempotency_keys_job'
import PurgeInvitesJob from '#jobs/purge_invites_job'
import { givenLoginLeftovers } from '#tests/helpers/logins'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { givenMeeting, moveMeetingTo, reloadMeeting } from '#tests/helpers/meetings'
import { givenProposals, pollWorld } from '#tests/helpers/polls'

const cli = systemActor('cli')

test.group('Scheduled jobs | registration (domain §22.2)', (group) => {
  group.each.teardown(() => QueueManager.restore())

  test('every schedule is registered with its documented cron expression, in UTC', async ({
    assert,
  }) => {
    QueueManager.fake()
    await registerSchedules()
    const registered = await Schedule.list()
    assert.deepEqual(
      Object.fromEntries(registered.map((s) => [s.name, [s.cronExpression, s.timezone]])),
      {
        CloseStaleConnectionsJob: ['*/30 * * * *', 'UTC'],
        ArchiveDueMeetingsJob: ['0 * * * *', 'UTC'],
        ExpireInvitesJob: ['30 3 * * *', 'UTC'],
        PurgeInvitesJob: ['50 3 * * *', 'UTC'],
        ClearProviderExtraDataJob: ['0 4 * * *', 'UTC'],
        ClearPartialLoginsJob: ['40 4 * * *', 'UTC'],
        PurgeIdempotencyKeysJob: ['50 4 * * *', 'UTC'],
        PurgeDeletedMeetingsJob: ['10 5 * * 2', 'UTC'],
        CloseDuePollsJob: ['* * * * *', 'UTC'],
      }
    )
    for (const schedule of registered) {
      // The worker finds the job class by the stored name, and the schedule is armed.
      assert.equal(Locator.get(schedule.name)?.options?.name, schedule.name)
      assert.isAbove(schedule.nextRunAt!.getTime(), Date.now())
      assert.equal(schedule.status, 'active')
    }
    // Registering again at the next start updates the schedules instead of adding more.
    await registerSchedules()
    assert.lengthOf(await Schedule.list(), registered.length)
  })
})

/*
 | The jobs are dispatched through the queue (the sync adapter of .env.test
 | runs them inline with the worker's runtime), not called directly.
 */
test.group('Scheduled jobs | each job does its work', () => {
  test('stale connections get close code 1006; live and closed ones are left', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const user = await givenUser(organisation)
    const at = (minutes: number) => DateTime.utc().minus({ minutes }).startOf('second')
    const row = (uid: string, lastAction: DateTime, closed: boolean) =>
      RealtimeConnection.create({
        organisationId: organisation.id,
        userId: user.id,
        streamUid: `jobs-${uid}-${Date.now()}`,
        authRef: null,
        instance: 'test',
        openedAt: at(180),
        lastAction,
        closedAt: closed ? at(150) : null,
        code: closed ? 1000 : null,
      })
    const stale = await row('stale', at(61 + 60), false)
    const live = await row('live', at(5), false)
    const closed = await row('closed', at(150), true)

    await CloseStaleConnectionsJob.dispatch({})

    const reload = (r: RealtimeConnection) =>
      RealtimeConnection.forOrganisation(organisation.id).where('id', r.id).firstOrFail()
    const [s, l, c] = [await reload(stale), await reload(live), await reload(closed)]
    assert.equal(s.code, 1006)
    assert.isNotNull(s.closedAt)
    assert.isNull(l.code)
    assert.isNull(l.closedAt)
    assert.equal(c.code, 1000)
  })

  test('the hourly job archives a meeting whose archive_after has passed', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    let due = await moveMeetingTo(
      await givenMeeting(organisation, { state: 'ongoing' }),
      'archiving'
    )
    due.archiveAfter = DateTime.utc().minus({ minutes: 1 })
    await due.save()
    const notYet = await moveMeetingTo(
      await givenMeeting(organisation, { state: 'ongoing' }),
      'archiving'
    )

    await ArchiveDueMeetingsJob.dispatch({})

    due = await reloadMeeting(due)
    assert.equal(due.state, 'archived')
    assert.equal((await reloadMeeting(notYet)).state, 'archiving')
  })

  test('the Tuesday job hard-deletes never-started meetings in deleting for over 7 days', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const old = await givenMeeting(organisation)
    await new TransitionMeeting().execute({
      meeting: old,
      event: 'request_delete',
      user: null,
      actor: cli,
      force: true,
    })
    await db
      .from('meetings')
      .where('id', old.id)
      .update({ delete_requested: dbTime(DateTime.utc().minus({ days: 8 })) })
    const recent = await givenMeeting(organisation, { state: 'deleting' })

    await PurgeDeletedMeetingsJob.dispatch({})

    assert.isNull(await reloadMeeting(old))
    assert.equal((await reloadMeeting(recent)).state, 'deleting')
  })

  test('the invitation jobs expire old open invites and delete old ones', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const closed = await givenMeeting(organisation, { state: 'closed' })
    closed.endTime = DateTime.utc().minus({ days: 300 })
    await closed.save()
    await new CreateInvites().execute({
      organisation,
      meeting: closed,
      rows: [{ email: 'old@example.com' }],
      roles: ['pa'],
      actor: cli,
    })
    const invite = await MeetingInvite.forOrganisation(organisation.id)
      .where('meeting_id', closed.id)
      .firstOrFail()
    invite.createdAt = DateTime.utc().minus({ days: 300 })
    await invite.save()

    await ExpireInvitesJob.dispatch({})
    const expired = await MeetingInvite.findInOrganisation(organisation.id, invite.id)
    assert.equal(expired!.state, 'expired')

    await PurgeInvitesJob.dispatch({})
    assert.isNull(await MeetingInvite.findInOrganisation(organisation.id, invite.id))
  })

  test('the login jobs purge stale partial logins and clear year-old provider claims', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const { freshPartial, oldConnection, recentConnection } =
      await givenLoginLeftovers(organisation)

    await ClearPartialLoginsJob.dispatch({})
    const left = await PartialLogin.forOrganisation(organisation.id).orderBy('id')
    assert.deepEqual(
      left.map((p) => p.id),
      [freshPartial.id]
    )

    await ClearProviderExtraDataJob.dispatch({})
    const reload = (c: UserConnection) =>
      UserConnection.forOrganisation(organisation.id).where('id', c.id).firstOrFail()
    assert.deepEqual((await reload(oldConnection)).extraData, {})
    assert.deepEqual((await reload(recentConnection)).extraData, { email: 'recent@example.org' })
  })

  test('the idempotency job deletes answers older than 24 hours', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const user = await givenUser(organisation)
    const key = (name: string, hours: number) => ({
      organisation_id: organisation.id,
      user_id: user.id,
      key: name,
      fingerprint: 'f',
      status: 201,
      body: '{}',
      created_at: dbTime(DateTime.utc().minus({ hours })),
    })
    await db.table('idempotency_keys').multiInsert([key('old', 25), key('new', 1)])

    await PurgeIdempotencyKeysJob.dispatch({})

    const left = await db.from('idempotency_keys').where('user_id', user.id).select('key')
    assert.deepEqual(
      left.map((row) => row.key),
      ['new']
    )
  })

  test('the every-minute job closes a due poll exactly once when two runs overlap', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [proposal] = await givenProposals(world.item, 1)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Timed',
      method_name: 'simple',
      proposals: [proposal.id],
      start: true,
      close_at: DateTime.utc().plus({ hours: 1 }).toISO(),
    })
    created.assertStatus(201)
    const id = created.body().id
    ;(
      await world
        .as(world.tokens[0], client.post('/api/votes'))
        .json({ poll: id, vote: { choice: 'yes' } })
    ).assertStatus(201)

    // Not due yet: the job leaves it open.
    await CloseDuePollsJob.dispatch({})
    assert.equal((await Poll.findInOrganisation(world.organisation.id, id))!.state, 'ongoing')

    const poll = (await Poll.findInOrganisation(world.organisation.id, id))!
    poll.closeAt = DateTime.utc().minus({ seconds: 1 })
    await poll.save()
    await Promise.all([CloseDuePollsJob.dispatch({}), CloseDuePollsJob.dispatch({})])

    assert.equal((await Poll.findInOrganisation(world.organisation.id, id))!.state, 'finished')
    const closes = await AuditEntry.forOrganisation(world.organisation.id)
      .where('event', 'poll.close')
      .where('object_id', String(id))
    assert.lengthOf(closes, 1)
    assert.equal(closes[0].source, 'job')
  })
})
