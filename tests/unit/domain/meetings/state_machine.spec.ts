import { test } from '@japa/runner'
import {
  meetingMachine,
  meetingStates,
  meetingTransitionPatch,
  evaluateMeetingEvent,
  type MeetingFacts,
  type MeetingState,
} from '#domain/meetings/state_machine'
import { publishMachine, describeEvents } from '#domain/state_machines/machine'

/** The transitions of domain §7.4, written out independently of the machine table. */
const spec: Array<[event: string, from: MeetingState, to: MeetingState]> = [
  ['make_upcoming', 'ongoing', 'upcoming'],
  ['make_ongoing', 'upcoming', 'ongoing'],
  ['make_ongoing', 'closed', 'ongoing'],
  ['close', 'ongoing', 'closed'],
  ['request_archiving', 'closed', 'archiving'],
  ['abort_archiving', 'archiving', 'closed'],
  ['request_delete', 'upcoming', 'deleting'],
  ['request_delete', 'ongoing', 'deleting'],
  ['request_delete', 'closed', 'deleting'],
  ['request_delete', 'archiving', 'deleting'],
  ['request_delete', 'archived', 'deleting'],
  ['abort_delete', 'deleting', 'closed'], // pre_delete_state = closed in the facts below
]
const publicEvents = [
  'make_upcoming',
  'make_ongoing',
  'close',
  'request_archiving',
  'abort_archiving',
  'request_delete',
  'abort_delete',
]

const okFacts: MeetingFacts = {
  erPolicyValid: true,
  ongoingPolls: 0,
  ongoingAgendaItems: 0,
  archiveAfterPassed: true,
  preDeleteState: 'closed',
}
const everyone = () => true

test.group('Meeting state machine (domain §7.4)', () => {
  const cases = meetingStates.flatMap((state) => publicEvents.map((event) => ({ state, event })))

  test('{event} from {state}')
    .with(cases)
    .run(({ assert }, { state, event }) => {
      const expected = spec.find(([name, from]) => name === event && from === state)
      const result = evaluateMeetingEvent(state, event, okFacts, everyone)
      if (expected) {
        assert.deepEqual(result, { ok: true, event, from: state, to: expected[2] })
      } else {
        assert.isFalse(result.ok)
        if (!result.ok) {
          assert.equal(result.status, 422)
          assert.equal(result.code, 'transition.unavailable')
        }
      }
    })

  test('abort_delete returns to the stored pre_delete_state', ({ assert }) => {
    for (const previous of ['upcoming', 'ongoing', 'closed', 'archiving', 'archived'] as const) {
      const result = evaluateMeetingEvent(
        'deleting',
        'abort_delete',
        { ...okFacts, preDeleteState: previous },
        everyone
      )
      assert.deepEqual(result, { ok: true, event: 'abort_delete', from: 'deleting', to: previous })
    }
  })

  test('archive is internal: refused without force, allowed to jobs once archive_after passed', ({
    assert,
  }) => {
    const refused = evaluateMeetingEvent('archiving', 'archive', okFacts, everyone)
    assert.isFalse(refused.ok)
    assert.equal(!refused.ok && refused.code, 'transition.unavailable')
    const early = evaluateMeetingEvent(
      'archiving',
      'archive',
      { ...okFacts, archiveAfterPassed: false },
      () => false,
      true
    )
    assert.isFalse(early.ok)
    const due = evaluateMeetingEvent('archiving', 'archive', okFacts, () => false, true)
    assert.deepEqual(due, { ok: true, event: 'archive', from: 'archiving', to: 'archived' })
    for (const state of meetingStates.filter((s) => s !== 'archiving')) {
      assert.isFalse(evaluateMeetingEvent(state, 'archive', okFacts, () => false, true).ok)
    }
  })

  test('unknown events answer transition.unavailable with the allowed events', ({ assert }) => {
    const result = evaluateMeetingEvent('ongoing', 'explode', okFacts, everyone)
    assert.isFalse(result.ok)
    if (!result.ok) {
      assert.equal(result.code, 'transition.unavailable')
      assert.sameMembers(result.meta.allowed_events as string[], [
        'make_upcoming',
        'close',
        'request_delete',
      ])
    }
  })

  test('check order: unknown event, then permission (403), then source state, then rules', ({
    assert,
  }) => {
    const nobody = () => false
    const unknown = evaluateMeetingEvent('ongoing', 'nope', okFacts, nobody)
    assert.equal(!unknown.ok && unknown.status, 422)
    // permission is checked before the source state: a wrong state without permission is 403
    const wrongStateNoPermission = evaluateMeetingEvent('closed', 'close', okFacts, nobody)
    assert.equal(!wrongStateNoPermission.ok && wrongStateNoPermission.status, 403)
    assert.deepInclude(!wrongStateNoPermission.ok ? wrongStateNoPermission.meta : {}, {
      permission: 'meeting.moderate',
    })
    const wrongState = evaluateMeetingEvent(
      'closed',
      'close',
      { ...okFacts, ongoingPolls: 1 },
      everyone
    )
    assert.equal(!wrongState.ok && wrongState.code, 'transition.unavailable')
  })

  test('make_ongoing needs a registered ER policy (meeting.invalid_er_policy)', ({ assert }) => {
    const result = evaluateMeetingEvent(
      'upcoming',
      'make_ongoing',
      { ...okFacts, erPolicyValid: false },
      everyone
    )
    assert.deepInclude(result, {
      ok: false,
      status: 422,
      code: 'meeting.invalid_er_policy',
      message: 'Must have valid electoral register policy name',
    })
  })

  test('close is refused while polls are ongoing (meeting.ongoing_polls)', ({ assert }) => {
    const result = evaluateMeetingEvent(
      'ongoing',
      'close',
      { ...okFacts, ongoingPolls: 2 },
      everyone
    )
    assert.deepInclude(result, {
      ok: false,
      code: 'meeting.ongoing_polls',
      message: 'Meeting has ongoing polls',
    })
  })

  test('make_upcoming is refused while agenda items or polls are ongoing (D14)', ({ assert }) => {
    const items = evaluateMeetingEvent(
      'ongoing',
      'make_upcoming',
      { ...okFacts, ongoingAgendaItems: 1 },
      everyone
    )
    assert.equal(!items.ok && items.code, 'meeting.ongoing_agenda_items')
    const polls = evaluateMeetingEvent(
      'ongoing',
      'make_upcoming',
      { ...okFacts, ongoingPolls: 1 },
      everyone
    )
    assert.equal(!polls.ok && polls.code, 'meeting.ongoing_polls')
  })

  test('each event names the permission of domain §7.4', ({ assert }) => {
    const permissions = Object.fromEntries(
      meetingMachine.events.map((event) => [event.name, event.permission])
    )
    assert.deepEqual(permissions, {
      make_upcoming: 'meeting.moderate',
      make_ongoing: 'meeting.moderate',
      close: 'meeting.moderate',
      request_archiving: 'meeting.archive',
      abort_archiving: 'meeting.archive',
      request_delete: 'meeting.delete',
      abort_delete: 'meeting.delete',
      archive: 'job',
    })
  })

  test('side effects: the field writes of each event', ({ assert }) => {
    const now = new Date('2026-05-04T12:00:00Z')
    assert.deepEqual(meetingTransitionPatch('make_ongoing', 'upcoming', 'ongoing', now), {
      state: 'ongoing',
      startTime: now,
    })
    assert.deepEqual(meetingTransitionPatch('close', 'ongoing', 'closed', now), {
      state: 'closed',
      endTime: now,
    })
    assert.deepEqual(meetingTransitionPatch('request_archiving', 'closed', 'archiving', now), {
      state: 'archiving',
      archiveAfter: new Date('2026-05-07T12:00:00Z'),
    })
    assert.deepEqual(meetingTransitionPatch('abort_archiving', 'archiving', 'closed', now), {
      state: 'closed',
      archiveAfter: null,
    })
    assert.deepEqual(meetingTransitionPatch('request_delete', 'ongoing', 'deleting', now), {
      state: 'deleting',
      preDeleteState: 'ongoing',
      deleteRequested: now,
    })
    assert.deepEqual(meetingTransitionPatch('abort_delete', 'deleting', 'ongoing', now), {
      state: 'ongoing',
      preDeleteState: null,
      deleteRequested: null,
    })
  })

  test('describeEvents lists events from the current state with reasons, internal ones omitted', ({
    assert,
  }) => {
    const events = describeEvents(
      meetingMachine,
      'ongoing',
      { ...okFacts, ongoingPolls: 1 },
      (p) => p !== 'meeting.delete'
    )
    assert.deepEqual(
      events.map((event) => [
        event.name,
        event.allowed,
        event.reasons.map((reason) => reason.code),
      ]),
      [
        ['make_upcoming', false, ['meeting.ongoing_polls']],
        ['close', false, ['meeting.ongoing_polls']],
        ['request_delete', false, ['permission.denied']],
      ]
    )
    assert.isEmpty(
      describeEvents(meetingMachine, 'archiving', okFacts, everyone).filter(
        (event) => event.name === 'archive'
      )
    )
  })

  test('published shape (api.md §6.1)', ({ assert }) => {
    const published = publishMachine(meetingMachine)
    assert.equal(published.name, 'Meeting')
    assert.equal(published.initial, 'upcoming')
    assert.deepInclude(published.events, {
      name: 'request_delete',
      title: 'Request deletion',
      sources: ['upcoming', 'ongoing', 'closed', 'archiving', 'archived'],
      target: 'deleting',
      internal: false,
    })
    assert.deepInclude(published.events, {
      name: 'archive',
      title: 'Archive',
      sources: ['archiving'],
      target: 'archived',
      internal: true,
    })
    assert.isNull(published.events.find((event) => event.name === 'abort_delete')!.target)
  })
})
