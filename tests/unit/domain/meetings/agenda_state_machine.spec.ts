import { test } from '@japa/runner'
import {
  agendaItemStates,
  evaluateAgendaItemEvent,
  eventForTargetState,
  type AgendaItemState,
} from '#domain/agenda/state_machine'
import type { MeetingState } from '#domain/meetings/state_machine'

/** The transitions of domain §8.2, written out independently of the machine table. */
const spec: Array<[event: string, from: AgendaItemState, to: AgendaItemState]> = [
  ['make_upcoming', 'private', 'upcoming'],
  ['make_upcoming', 'closed', 'upcoming'],
  ['make_upcoming', 'ongoing', 'upcoming'],
  ['unpublish', 'upcoming', 'private'],
  ['unpublish', 'closed', 'private'],
  ['unpublish', 'ongoing', 'private'],
  ['make_ongoing', 'private', 'ongoing'],
  ['make_ongoing', 'upcoming', 'ongoing'],
  ['make_ongoing', 'closed', 'ongoing'],
  ['close', 'private', 'closed'],
  ['close', 'upcoming', 'closed'],
  ['close', 'ongoing', 'closed'],
]
const events = ['make_upcoming', 'unpublish', 'make_ongoing', 'close']
const okFacts = { meetingState: 'ongoing' as MeetingState, ongoingPolls: 0 }
const everyone = () => true

test.group('Agenda item state machine (domain §8.2)', () => {
  test('{event} from {state}')
    .with(agendaItemStates.flatMap((state) => events.map((event) => ({ state, event }))))
    .run(({ assert }, { state, event }) => {
      const expected = spec.find(([name, from]) => name === event && from === state)
      const result = evaluateAgendaItemEvent(state, event, okFacts, everyone)
      if (expected) assert.deepEqual(result, { ok: true, event, from: state, to: expected[2] })
      else assert.deepInclude(result, { ok: false, status: 422, code: 'transition.unavailable' })
    })

  test('archive: internal, from every state but archived', ({ assert }) => {
    for (const state of agendaItemStates) {
      assert.isFalse(evaluateAgendaItemEvent(state, 'archive', okFacts, everyone).ok)
      assert.equal(
        evaluateAgendaItemEvent(state, 'archive', okFacts, () => false, true).ok,
        state !== 'archived'
      )
    }
  })

  test('make_ongoing needs an ongoing meeting (condition, S08)', ({ assert }) => {
    for (const meetingState of ['upcoming', 'closed', 'archiving'] as MeetingState[]) {
      const result = evaluateAgendaItemEvent(
        'private',
        'make_ongoing',
        { ...okFacts, meetingState },
        everyone
      )
      assert.deepInclude(result, { ok: false, code: 'transition.unavailable' })
      if (!result.ok)
        assert.equal(
          (result.meta.reasons as Array<{ code: string }>)[0].code,
          'agenda_item.meeting_not_ongoing'
        )
    }
  })

  test('close is unavailable while the meeting is upcoming, and refused with ongoing polls', ({
    assert,
  }) => {
    assert.deepInclude(
      evaluateAgendaItemEvent(
        'upcoming',
        'close',
        { ...okFacts, meetingState: 'upcoming' },
        everyone
      ),
      {
        code: 'transition.unavailable',
      }
    )
    assert.deepInclude(
      evaluateAgendaItemEvent('ongoing', 'close', { ...okFacts, ongoingPolls: 1 }, everyone),
      {
        code: 'agenda_item.ongoing_polls',
      }
    )
  })

  test('leaving ongoing for upcoming or private needs no ongoing polls; other sources do not care', ({
    assert,
  }) => {
    for (const event of ['make_upcoming', 'unpublish']) {
      assert.deepInclude(
        evaluateAgendaItemEvent('ongoing', event, { ...okFacts, ongoingPolls: 1 }, everyone),
        {
          code: 'agenda_item.ongoing_polls',
        }
      )
      assert.isTrue(
        evaluateAgendaItemEvent('closed', event, { ...okFacts, ongoingPolls: 1 }, everyone).ok
      )
    }
  })

  test('every event needs agenda_item.change (403 first)', ({ assert }) => {
    for (const event of events) {
      assert.deepInclude(
        evaluateAgendaItemEvent('upcoming', event, okFacts, () => false),
        { status: 403, code: 'permission.denied' }
      )
    }
  })

  test('bulk change maps target states to events (api.md Q3)', ({ assert }) => {
    assert.deepEqual(eventForTargetState, {
      private: 'unpublish',
      upcoming: 'make_upcoming',
      ongoing: 'make_ongoing',
      closed: 'close',
    })
  })
})
