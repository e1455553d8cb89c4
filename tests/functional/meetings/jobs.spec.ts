import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import Meeting from '#models/meeting'
import AuditEntry from '#models/audit_entry'
import MeetingComponent from '#models/meeting_component'
import CreateMeeting from '#actions/meetings/create_meeting'
import TransitionMeeting from '#actions/meetings/transition_meeting'
import { ArchiveDueMeetings, PurgeDeletedMeetings } from '#actions/meetings/meeting_jobs'
import { systemActor } from '#services/audit_log'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import {
  givenAgendaItem,
  givenMeeting,
  moveMeetingTo,
  reloadItem,
  reloadMeeting,
} from '#tests/helpers/meetings'

const cli = systemActor('cli')

test.group('Meetings | archiving and purge jobs (domain §7.4)', () => {
  test('the archiving job archives due meetings and their agenda items, and leaves the others', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    let meeting = await givenMeeting(organisation, { state: 'ongoing' })
    const item = await givenAgendaItem(meeting, 'ongoing')
    meeting = await moveMeetingTo(meeting, 'archiving')
    const closedOnly = await givenMeeting(organisation, { state: 'closed' })

    // two days later: not due yet
    const early = await new ArchiveDueMeetings().execute({ now: DateTime.utc().plus({ days: 2 }) })
    assert.notInclude(early.archived, meeting.id)
    assert.equal((await reloadMeeting(meeting))!.state, 'archiving')

    // three days and a minute later: due
    const later = await new ArchiveDueMeetings().execute({
      now: DateTime.utc().plus({ days: 3, minutes: 1 }),
    })
    assert.include(later.archived, meeting.id)
    assert.notInclude(later.archived, closedOnly.id)
    assert.equal((await reloadMeeting(meeting))!.state, 'archived')
    // D15 closed the item when the meeting closed; archive_meeting archives it
    assert.equal((await reloadItem(item))!.state, 'archived')
    assert.equal((await reloadMeeting(closedOnly))!.state, 'closed')
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .where('event', 'meeting.archive')
      .first()
    assert.equal(entry!.source, 'job')
    assert.isNull(entry!.actorUserId)
  })

  test('S05 purge removes never-started meetings after 7 days and keeps started ones', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const creator = await givenUser(organisation)
    const m2 = await new CreateMeeting().execute({ organisation, title: 'M2', creator, actor: cli })
    await givenAgendaItem(m2)
    await new TransitionMeeting().execute({
      meeting: m2,
      event: 'request_delete',
      user: null,
      actor: cli,
      force: true,
    })
    const m3 = await givenMeeting(organisation, { state: 'ongoing' })
    await new TransitionMeeting().execute({
      meeting: m3,
      event: 'request_delete',
      user: null,
      actor: cli,
      force: true,
    })
    const recent = await givenMeeting(organisation, { state: 'deleting' })

    const { purged } = await new PurgeDeletedMeetings().execute({
      now: DateTime.utc().plus({ days: 8 }),
    })
    assert.include(purged, m2.id)
    assert.notInclude(purged, m3.id)
    assert.isNull(await Meeting.findInOrganisation(organisation.id, m2.id))
    assert.equal((await reloadMeeting(m3))!.state, 'deleting')
    const entry = await AuditEntry.forOrganisation(organisation.id)
      .where('meeting_id', m2.id)
      .where('event', 'meeting.purged')
      .first()
    assert.isNotNull(entry)
    // a meeting whose deletion was requested only now is kept by a run today
    const today = await new PurgeDeletedMeetings().execute()
    assert.notInclude(today.purged, recent.id)
  })

  test('S44 closing a meeting disables the Active users component', async ({ assert }) => {
    const { organisation } = await givenOrganisation()
    const creator = await givenUser(organisation)
    const meeting = await new CreateMeeting().execute({
      organisation,
      title: 'M',
      creator,
      erPolicyName: 'auto_before_poll',
      components: [{ name: 'active_users' }, { name: 'notes' }],
      actor: cli,
    })
    await moveMeetingTo(meeting, 'closed')
    const components = await MeetingComponent.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('component_name')
    assert.deepEqual(
      components.map((component) => [component.componentName, component.enabled]),
      [
        ['active_users', false],
        ['notes', true],
      ]
    )
  })
})
