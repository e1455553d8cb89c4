/**
 * Proposal state machine (domain §9.4). Data table + the generic evaluator.
 * Amendments (diff proposals) use the same machine.
 */
import { defineMachine, evaluate, type Evaluation } from '#domain/state_machines/machine'

export const proposalStates = [
  'published',
  'retracted',
  'voting',
  'approved',
  'denied',
  'unhandled',
] as const
export type ProposalState = (typeof proposalStates)[number]

/** States allowed in an archived agenda item (domain §7.5). */
export const finishedProposalStates: readonly ProposalState[] = [
  'unhandled',
  'approved',
  'denied',
  'retracted',
]

export interface ProposalMachineFacts {
  /**
   * D23: the proposal is part of an `upcoming` or `ongoing` poll. Manual
   * events are refused then; polls change the states themselves with `force`.
   */
  lockedByActivePoll: boolean
  /** Internal caller (poll cascades): the D23 rule does not apply to them. */
  forced: boolean
}

const notLockedByPoll = {
  code: 'proposal.locked_by_poll',
  message: 'The proposal is part of an upcoming or ongoing poll',
  passes: (facts: ProposalMachineFacts) => facts.forced || !facts.lockedByActivePoll,
}

export const proposalMachine = defineMachine<ProposalState, ProposalMachineFacts>({
  name: 'Proposal',
  states: proposalStates,
  initial: 'published',
  final: [],
  events: [
    {
      name: 'retract',
      title: 'Retract',
      sources: ['published'],
      target: 'retracted',
      permission: 'proposal.retract',
      validators: [notLockedByPoll],
    },
    {
      name: 'lock_for_vote',
      title: 'Lock for vote',
      sources: ['published', 'retracted'],
      target: 'voting',
      permission: 'proposal.change',
      validators: [notLockedByPoll],
    },
    {
      name: 'approve',
      title: 'Approve',
      sources: ['published', 'voting', 'denied'],
      target: 'approved',
      permission: 'proposal.change',
      validators: [notLockedByPoll],
    },
    {
      name: 'deny',
      title: 'Deny',
      sources: ['published', 'voting', 'approved'],
      target: 'denied',
      permission: 'proposal.change',
      validators: [notLockedByPoll],
    },
    {
      name: 'mark_unhandled',
      title: 'Mark as unhandled',
      sources: ['published'],
      target: 'unhandled',
      permission: 'proposal.change',
      validators: [notLockedByPoll],
    },
    {
      name: 'publish',
      title: 'Publish',
      sources: ['retracted', 'voting', 'approved', 'denied', 'unhandled'],
      target: 'published',
      permission: 'proposal.change',
      validators: [notLockedByPoll],
    },
  ],
})

/** The event that leads from `from` to `to`, if any (bulk "set state" in the admin, poll cascades). */
export function eventLeadingTo(from: ProposalState, to: ProposalState): string | null {
  const event = proposalMachine.events.find(
    (candidate) => candidate.target === to && candidate.sources.includes(from)
  )
  return event?.name ?? null
}

export function evaluateProposalEvent(
  state: ProposalState,
  event: string,
  facts: Omit<ProposalMachineFacts, 'forced'>,
  can: (permission: string) => boolean,
  force = false
): Evaluation<ProposalState> {
  return evaluate(proposalMachine, { state, event, facts: { ...facts, forced: force }, can, force })
}

export function isProposalState(value: string): value is ProposalState {
  return (proposalStates as readonly string[]).includes(value)
}
