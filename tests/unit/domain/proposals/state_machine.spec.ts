import { test } from '@japa/runner'
import {
  evaluateProposalEvent,
  proposalMachine,
  proposalStates,
  eventLeadingTo,
} from '#domain/proposals/state_machine'

/** The table of domain §9.4, written out independently of the machine definition. */
const allowed: Record<string, { from: string[]; to: string; permission: string }> = {
  retract: { from: ['published'], to: 'retracted', permission: 'proposal.retract' },
  lock_for_vote: { from: ['published', 'retracted'], to: 'voting', permission: 'proposal.change' },
  approve: {
    from: ['published', 'voting', 'denied'],
    to: 'approved',
    permission: 'proposal.change',
  },
  deny: { from: ['published', 'voting', 'approved'], to: 'denied', permission: 'proposal.change' },
  mark_unhandled: { from: ['published'], to: 'unhandled', permission: 'proposal.change' },
  publish: {
    from: ['retracted', 'voting', 'approved', 'denied', 'unhandled'],
    to: 'published',
    permission: 'proposal.change',
  },
}

const everyone = () => true

test.group('Proposal machine | every event × every state (domain §9.4)', () => {
  const rows = Object.keys(allowed).flatMap((event) =>
    proposalStates.map((state) => ({ event, state }))
  )

  test('{event} from {state}')
    .with(rows)
    .run(({ assert }, { event, state }) => {
      const result = evaluateProposalEvent(state, event, { lockedByActivePoll: false }, everyone)
      if (allowed[event].from.includes(state)) {
        assert.deepEqual(result, { ok: true, event, from: state, to: allowed[event].to } as any)
      } else {
        assert.isFalse(result.ok)
        if (!result.ok) {
          assert.equal(result.status, 422)
          assert.equal(result.code, 'transition.unavailable')
        }
      }
    })

  test('the machine has exactly the events of the table with their permissions', ({ assert }) => {
    assert.sameMembers(
      proposalMachine.events.map((event) => event.name),
      Object.keys(allowed)
    )
    for (const event of proposalMachine.events) {
      assert.sameMembers([...event.sources], allowed[event.name].from, event.name)
      assert.equal(event.target, allowed[event.name].to)
      assert.equal(event.permission, allowed[event.name].permission)
    }
    assert.equal(proposalMachine.initial, 'published')
  })

  test('a missing permission is 403 before the state check', ({ assert }) => {
    const result = evaluateProposalEvent(
      'approved',
      'retract',
      { lockedByActivePoll: false },
      () => false
    )
    assert.isFalse(result.ok)
    if (!result.ok) assert.equal(result.status, 403)
  })

  test('D23: manual events are refused while an active poll locks the proposal; forced ones pass', ({
    assert,
  }) => {
    const manual = evaluateProposalEvent(
      'voting',
      'approve',
      { lockedByActivePoll: true },
      everyone
    )
    assert.isFalse(manual.ok)
    if (!manual.ok) assert.equal(manual.code, 'proposal.locked_by_poll')
    const forced = evaluateProposalEvent(
      'voting',
      'approve',
      { lockedByActivePoll: true },
      () => false,
      true
    )
    assert.isTrue(forced.ok)
  })

  test('unknown events are unavailable', ({ assert }) => {
    const result = evaluateProposalEvent(
      'published',
      'explode',
      { lockedByActivePoll: false },
      everyone
    )
    assert.isFalse(result.ok)
    if (!result.ok) assert.equal(result.code, 'transition.unavailable')
  })

  test('eventLeadingTo maps target states to events', ({ assert }) => {
    assert.equal(eventLeadingTo('published', 'voting'), 'lock_for_vote')
    assert.equal(eventLeadingTo('voting', 'published'), 'publish')
    assert.equal(eventLeadingTo('denied', 'approved'), 'approve')
    assert.isNull(eventLeadingTo('voting', 'unhandled'))
    assert.isNull(eventLeadingTo('unhandled', 'approved'))
  })
})
