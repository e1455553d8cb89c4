import { test } from '@japa/runner'
import * as p from '#domain/permissions/meeting'
import type { MeetingActor, MeetingFacts } from '#domain/permissions/meeting'
import type { MeetingState } from '#domain/meetings/state_machine'
import type { MeetingRoleCode, OrganisationRoleCode } from '#domain/permissions/roles'

const meeting = (
  state: MeetingState = 'ongoing',
  extra: Partial<MeetingFacts> = {}
): MeetingFacts => ({
  id: 1,
  organisationId: 10,
  state,
  public: false,
  visibleInLists: false,
  ...extra,
})
const actor = (
  meetingRoles: MeetingRoleCode[] = [],
  organisationRoles: OrganisationRoleCode[] = [],
  organisationId = 10
): MeetingActor => ({
  userId: 5,
  organisationId,
  isSuperuser: false,
  organisationRoles,
  meetingRoles,
})

test.group('Meeting permission predicates (domain §3.3, §7.6, §8.3)', () => {
  const states: MeetingState[] = [
    'upcoming',
    'ongoing',
    'closed',
    'archiving',
    'archived',
    'deleting',
  ]

  test('meeting.change needs a moderator and a meeting that is not archived ({state})')
    .with(states.map((state) => ({ state })))
    .run(({ assert }, { state }) => {
      const archived = ['archiving', 'archived', 'deleting'].includes(state)
      assert.equal(p.canChangeMeeting(actor(['pa', 'mo']), meeting(state)), !archived)
      assert.equal(p.canManageGroups(actor(['pa', 'mo']), meeting(state)), !archived)
      assert.equal(p.canAddAgendaItem(actor(['pa', 'mo']), meeting(state)), !archived)
      assert.isFalse(p.canChangeMeeting(actor(['pa', 'pr', 'di', 'pv']), meeting(state)))
      assert.equal(p.canArchiveMeeting(actor(['pa', 'mo']), meeting(state)), state !== 'archived')
      assert.equal(
        p.canChangeMeetingDialect(actor(['pa', 'mo']), meeting(state)),
        state === 'upcoming'
      )
      assert.isTrue(p.canDeleteMeeting(actor(['pa', 'mo']), meeting(state)))
      // org managers change roles in any meeting of their organisation that is not archived
      assert.equal(p.canChangeMeetingRoles(actor([], ['org_manager']), meeting(state)), !archived)
      assert.isFalse(p.canChangeMeetingRoles(actor([], ['meeting_creator']), meeting(state)))
    })

  test('view, read, preview and list', ({ assert }) => {
    const plain = actor()
    assert.isFalse(p.canSeeMeeting(plain, meeting()))
    assert.isTrue(p.canSeeMeeting(plain, meeting('ongoing', { visibleInLists: true })))
    assert.isFalse(p.canReadMeeting(plain, meeting('ongoing', { visibleInLists: true })))
    assert.isTrue(p.canReadMeeting(null, meeting('ongoing', { public: true })))
    assert.isTrue(p.canListMeeting(null, meeting('ongoing', { public: true })))
    assert.isFalse(p.canListMeeting(null, meeting('ongoing', { visibleInLists: true })))
    assert.isTrue(p.canPreviewMeeting(actor([], ['org_manager']), meeting()))
    assert.isFalse(p.canViewMeeting(actor([], ['org_manager']), meeting()))
    assert.isTrue(p.canViewMeetingRoles(actor(['pa']), meeting()))
    assert.isFalse(p.canViewMeetingRoles(actor([], ['org_manager']), meeting()))
  })

  test('another organisation never passes, whatever its roles', ({ assert }) => {
    const stranger = actor(['pa', 'mo'], ['org_manager'], 99)
    assert.isFalse(p.canSeeMeeting(stranger, meeting('ongoing', { visibleInLists: true })))
    assert.isFalse(p.canChangeMeeting(stranger, meeting()))
    assert.isFalse(p.canChangeMeetingRoles(stranger, meeting()))
    // public content is readable by anyone, the organisation is enforced by the tenant scope
    assert.isTrue(p.canReadMeeting(stranger, meeting('ongoing', { public: true })))
  })

  test('agenda items: private only for moderators; archived items frozen', ({ assert }) => {
    const mod = actor(['pa', 'mo'])
    const pa = actor(['pa'])
    assert.isTrue(p.canViewAgendaItem(mod, meeting(), { state: 'private' }))
    assert.isFalse(p.canViewAgendaItem(pa, meeting(), { state: 'private' }))
    assert.isTrue(p.canViewAgendaItem(pa, meeting(), { state: 'closed' }))
    assert.isTrue(
      p.canViewAgendaItem(null, meeting('ongoing', { public: true }), { state: 'upcoming' })
    )
    assert.isFalse(
      p.canViewAgendaItem(null, meeting('ongoing', { public: true }), { state: 'private' })
    )
    assert.isFalse(p.canChangeAgendaItem(mod, meeting(), { state: 'archived' }))
    assert.isFalse(p.canChangeAgendaItem(mod, meeting('archiving'), { state: 'closed' }))
    assert.isTrue(p.canChangeAgendaItem(mod, meeting('closed'), { state: 'closed' }))
    assert.isFalse(
      p.canMarkAgendaItemRead(null, meeting('ongoing', { public: true }), { state: 'upcoming' })
    )
  })

  test('machine permission names map to the predicates', ({ assert }) => {
    const mod = actor(['pa', 'mo'])
    assert.isTrue(p.meetingPermission('meeting.moderate', mod, meeting()))
    assert.isFalse(p.meetingPermission('meeting.archive', mod, meeting('archived')))
    assert.isFalse(p.meetingPermission('job', mod, meeting()))
    assert.isFalse(p.meetingPermission('agenda_item.change', mod, meeting()))
    assert.isTrue(p.meetingPermission('agenda_item.change', mod, meeting(), { state: 'ongoing' }))
  })
})
