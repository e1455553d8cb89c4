import { test } from '@japa/runner'
import { evaluate } from '#domain/state_machines/machine'
import {
  pollMachine,
  pollStates,
  type PollMachineFacts,
  type PollState,
} from '#domain/polls/state_machine'

const ready: PollMachineFacts = {
  settingsProblems: [],
  startProblems: [],
  policyRegistered: true,
  manualRegisterMissing: false,
  meetingOngoing: true,
  agendaItemOngoing: true,
  reasonGiven: true,
}

/** domain §10.3: the expected target of each (event, source) pair; anything else is refused. */
const table: Record<string, Partial<Record<PollState, PollState>>> = {
  make_upcoming: { private: 'upcoming' },
  make_ongoing: { upcoming: 'ongoing', private: 'ongoing' },
  close: { ongoing: 'closed', failed: 'closed', canceled: 'closed' },
  cancel: { ongoing: 'canceled' },
  unpublish: { upcoming: 'private' },
  publish_result: { withheld: 'finished' },
  withhold_result: { finished: 'withheld' },
  reset: { failed: 'private', canceled: 'private' },
  finish: { closed: 'finished' },
  finish_withheld: { closed: 'withheld' },
  mark_no_result: { closed: 'no_result' },
  fail: Object.fromEntries(pollStates.map((state) => [state, 'failed'])),
}
const internal = new Set(['finish', 'finish_withheld', 'mark_no_result', 'fail'])

test.group('Poll state machine (domain §10.3)', () => {
  test('every event from every state, as a moderator and as an internal caller', ({ assert }) => {
    for (const [event, sources] of Object.entries(table)) {
      for (const state of pollStates) {
        const expected = sources[state]
        const asModerator = evaluate(pollMachine, { state, event, facts: ready, can: () => true })
        const forced = evaluate(pollMachine, {
          state,
          event,
          facts: ready,
          can: () => false,
          force: true,
        })
        if (expected && !internal.has(event)) {
          assert.deepInclude(asModerator, { ok: true, to: expected }, `${event} from ${state}`)
        } else {
          assert.isFalse(asModerator.ok, `${event} from ${state} must be refused to people`)
        }
        if (expected)
          assert.deepInclude(forced, { ok: true, to: expected }, `${event} from ${state} (forced)`)
        else assert.isFalse(forced.ok, `${event} from ${state} (forced)`)
      }
    }
    assert.deepEqual(pollMachine.final, ['no_result'])
  })

  test('guards in order: permission 403, conditions 422, then the rule checks with their own codes', ({
    assert,
  }) => {
    const denied = evaluate(pollMachine, {
      state: 'upcoming',
      event: 'make_ongoing',
      facts: ready,
      can: () => false,
    })
    assert.deepInclude(denied, { ok: false, status: 403 })
    const context = evaluate(pollMachine, {
      state: 'upcoming',
      event: 'make_ongoing',
      facts: { ...ready, agendaItemOngoing: false },
      can: () => true,
    })
    assert.deepInclude(context, { ok: false, code: 'transition.unavailable' })
    const settings = evaluate(pollMachine, {
      state: 'private',
      event: 'make_upcoming',
      facts: { ...ready, settingsProblems: ['x'] },
      can: () => true,
    })
    assert.deepInclude(settings, { ok: false, code: 'transition.unavailable' })
    const codes: Array<[Partial<PollMachineFacts>, string]> = [
      [{ policyRegistered: false }, 'er.invalid_policy'],
      [{ manualRegisterMissing: true }, 'poll.requires_manual_er'],
      [{ startProblems: ['needs 3'] }, 'poll.start_check_failed'],
    ]
    for (const [facts, code] of codes) {
      const result = evaluate(pollMachine, {
        state: 'upcoming',
        event: 'make_ongoing',
        facts: { ...ready, ...facts },
        can: () => true,
      })
      assert.deepInclude(result, { ok: false, code })
    }
    const reset = evaluate(pollMachine, {
      state: 'failed',
      event: 'reset',
      facts: { ...ready, reasonGiven: false },
      can: () => true,
    })
    assert.deepInclude(reset, { ok: false, code: 'poll.reason_required' })
  })
})
