/**
 * Poll state machine (domain §10.3, beyond.md B-NEW-07). Data table + the
 * generic evaluator. Side effects (registers, proposals, counting) live in the
 * actions (TransitionPoll, ClosePoll).
 */
import { defineMachine, type Condition, type RuleValidator } from '#domain/state_machines/machine'

export const pollStates = [
  'private',
  'upcoming',
  'ongoing',
  'closed',
  'finished',
  'withheld',
  'canceled',
  'failed',
  'no_result',
] as const
export type PollState = (typeof pollStates)[number]

/** Finished-result set (domain §10.3). */
export const resultStates: readonly PollState[] = ['finished', 'withheld']
/** Editable ("permissive") set. */
export const editableStates: readonly PollState[] = ['private', 'upcoming']
/** Proposals are locked (`voting`) while the poll is in one of these. */
export const activeStates: readonly PollState[] = ['upcoming', 'ongoing']

export interface PollMachineFacts {
  /** Problems of the method's settings (empty when valid). */
  settingsProblems: string[]
  /** Problems of the method's start check (number of proposals, …). */
  startProblems: string[]
  /** The meeting's ER policy is a registered, non-historic policy. */
  policyRegistered: boolean
  /** The policy requires a manual register and none exists yet. */
  manualRegisterMissing: boolean
  meetingOngoing: boolean
  /** Agenda item ongoing (true for polls without an item). */
  agendaItemOngoing: boolean
  /** `reset` carries a reason text. */
  reasonGiven: boolean
}

const settingsValid: Condition<PollMachineFacts> = {
  code: 'poll.invalid_settings',
  message: 'The poll settings are not valid',
  holds: (facts) => facts.settingsProblems.length === 0,
}

const contextOngoing: Condition<PollMachineFacts> = {
  code: 'poll.context_not_ongoing',
  message: 'The meeting and the agenda item must be ongoing',
  holds: (facts) => facts.meetingOngoing && facts.agendaItemOngoing,
}

const policyRegistered: RuleValidator<PollMachineFacts> = {
  code: 'er.invalid_policy',
  message: 'The meeting has no valid electoral register policy',
  passes: (facts) => facts.policyRegistered,
}

const manualRegister: RuleValidator<PollMachineFacts> = {
  code: 'poll.requires_manual_er',
  message: 'This policy requires you to create electoral registers manually',
  passes: (facts) => !facts.manualRegisterMissing,
}

const startCheck: RuleValidator<PollMachineFacts> = {
  code: 'poll.start_check_failed',
  message: 'The poll cannot start with these proposals',
  passes: (facts) => facts.startProblems.length === 0,
}

const reasonRequired: RuleValidator<PollMachineFacts> = {
  code: 'poll.reason_required',
  message: 'A reason is required to reset a poll',
  passes: (facts) => facts.reasonGiven,
}

const change = 'poll.change_state'

export const pollMachine = defineMachine<PollState, PollMachineFacts>({
  name: 'Poll',
  states: pollStates,
  initial: 'private',
  final: ['no_result'],
  events: [
    {
      name: 'make_upcoming',
      title: 'Make upcoming',
      sources: ['private'],
      target: 'upcoming',
      permission: change,
      conditions: [settingsValid],
    },
    {
      name: 'make_ongoing',
      title: 'Start',
      sources: ['upcoming', 'private'],
      target: 'ongoing',
      permission: change,
      conditions: [settingsValid, contextOngoing],
      validators: [policyRegistered, manualRegister, startCheck],
    },
    {
      name: 'close',
      title: 'Close',
      sources: ['ongoing', 'failed', 'canceled'],
      target: 'closed',
      permission: change,
    },
    {
      name: 'cancel',
      title: 'Cancel',
      sources: ['ongoing'],
      target: 'canceled',
      permission: change,
    },
    {
      name: 'unpublish',
      title: 'Unpublish',
      sources: ['upcoming'],
      target: 'private',
      permission: change,
    },
    {
      name: 'publish_result',
      title: 'Publish result',
      sources: ['withheld'],
      target: 'finished',
      permission: change,
    },
    {
      name: 'withhold_result',
      title: 'Withhold result',
      sources: ['finished'],
      target: 'withheld',
      permission: change,
    },
    {
      name: 'reset',
      title: 'Reset',
      sources: ['failed', 'canceled'],
      target: 'private',
      permission: change,
      validators: [reasonRequired],
    },
    {
      name: 'finish',
      title: 'Finish',
      sources: ['closed'],
      target: 'finished',
      permission: change,
      internal: true,
    },
    {
      name: 'finish_withheld',
      title: 'Finish (withheld)',
      sources: ['closed'],
      target: 'withheld',
      permission: change,
      internal: true,
    },
    {
      name: 'mark_no_result',
      title: 'No result',
      sources: ['closed'],
      target: 'no_result',
      permission: change,
      internal: true,
    },
    {
      name: 'fail',
      title: 'Fail',
      sources: [
        'private',
        'upcoming',
        'ongoing',
        'closed',
        'finished',
        'withheld',
        'canceled',
        'failed',
        'no_result',
      ],
      target: 'failed',
      permission: change,
      internal: true,
    },
  ],
})

export function isPollState(value: string): value is PollState {
  return (pollStates as readonly string[]).includes(value)
}
