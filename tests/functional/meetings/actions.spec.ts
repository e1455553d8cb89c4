import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import MeetingRole from '#models/meeting_role'
import CreateMeeting from '#actions/meetings/create_meeting'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'
import { systemActor } from '#services/audit_log'
import { registerSink, type OutgoingMessage } from '#realtime/publish'
import { givenOrganisation, givenUser } from '#tests/helpers/world'

test.group('Meetings | actions used by other modules', () => {
  test('CreateMeeting stores the fields, gives the creator mo+pa, audits and publishes', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const creator = await givenUser(organisation, { roles: ['meeting_creator'] })
    const published: OutgoingMessage[] = []
    const stop = registerSink((messages) => void published.push(...messages))
    const meeting = await new CreateMeeting()
      .execute({
        organisation,
        title: 'AGM',
        erPolicyName: 'auto_before_poll',
        groupVotesActive: true,
        dialect: 'sfsfum',
        components: [{ name: 'active_users' }],
        creator,
        actor: systemActor('cli'),
      })
      .finally(() => undefined)
    stop()
    assert.equal(meeting.state, 'upcoming')
    assert.equal(meeting.installedDialect, 'sfsfum')
    const row = await MeetingRole.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .firstOrFail()
    assert.deepEqual(row.assigned, ['pa', 'mo'])
    const events = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    assert.deepEqual(
      events.map((entry) => entry.event),
      ['meeting.created', 'meeting_component.created', 'meeting_roles.changed']
    )
    assert.includeMembers(
      published.map((message) => `${message.channel} ${message.type}`),
      [
        `meetings/${meeting.id} meeting.changed`,
        `meetings/${meeting.id} roles.changed`,
        `users/${creator.id} roles.changed`,
      ]
    )
  })

  test('CreateMeeting rolls back everything when the `within` hook fails', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const creator = await givenUser(organisation)
    await assert.rejects(() =>
      new CreateMeeting().execute({
        organisation,
        title: 'Broken',
        creator,
        actor: systemActor('cli'),
        within: async () => {
          throw new Error('dialect failed')
        },
      })
    )
    const rows = await AuditEntry.forOrganisation(organisation.id).where('event', 'meeting.created')
    assert.lengthOf(rows, 0)
  })

  test('ChangeMeetingRoles accepts legacy names, applies closure and set mode', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const creator = await givenUser(organisation)
    const ulf = await givenUser(organisation)
    const meeting = await new CreateMeeting().execute({
      organisation,
      title: 'M',
      creator,
      actor: systemActor('cli'),
    })
    const action = new ChangeMeetingRoles()
    let results = await action.execute({
      meeting,
      userIds: [ulf.id],
      roles: ['proposer', 'di'],
      mode: 'add',
      actor: systemActor('cli'),
    })
    assert.deepEqual(results, [{ user: ulf.id, assigned: ['pa', 'di', 'pr'] }])
    results = await action.execute({
      meeting,
      userIds: [ulf.id],
      roles: ['pv'],
      mode: 'set',
      actor: systemActor('cli'),
    })
    assert.deepEqual(results[0].assigned, ['pa', 'pv'])
    results = await action.execute({
      meeting,
      userIds: [ulf.id],
      roles: ['pa'],
      mode: 'remove',
      actor: systemActor('cli'),
    })
    assert.deepEqual(results[0].assigned, [])
    assert.isNull(
      await MeetingRole.forOrganisation(organisation.id)
        .where('meeting_id', meeting.id)
        .where('user_id', ulf.id)
        .first()
    )
  })
})
