/**
 * Meeting state machine (domain §7.4). Data table + the generic evaluator.
 */
import { defineMachine, evaluate, type Evaluation } from '#domain/state_machines/machine'

export const meetingStates = [
  'upcoming',
  'ongoing',
  'closed',
  'archiving',
  'archived',
  'deleting',
] as const
export type MeetingState = (typeof meetingStates)[number]

/** Shared state predicates (domain §0.3). */
export const isMeetingActive = (state: MeetingState) => state === 'upcoming' || state === 'ongoing'
export const isMeetingFinished = (state: MeetingState) =>
  state === 'closed' || state === 'archiving' || state === 'archived' || state === 'deleting'
export const isMeetingArchived = (state: MeetingState) =>
  state === 'archiving' || state === 'archived' || state === 'deleting'

/** Plain facts the guards need; gathered by the caller. */
export interface MeetingFacts {
  erPolicyValid: boolean
  ongoingPolls: number
  ongoingAgendaItems: number
  /** `archive_after` is set and lies in the past. */
  archiveAfterPassed: boolean
  preDeleteState: MeetingState | null
}

export const meetingMachine = defineMachine<MeetingState, MeetingFacts>({
  name: 'Meeting',
  states: meetingStates,
  initial: 'upcoming',
  final: [],
  events: [
    {
      name: 'make_upcoming',
      title: 'Make upcoming',
      sources: ['ongoing'],
      target: 'upcoming',
      permission: 'meeting.moderate',
      validators: [
        {
          code: 'meeting.ongoing_agenda_items',
          message: 'Meeting has ongoing agenda items',
          passes: (facts) => facts.ongoingAgendaItems === 0,
        },
        {
          code: 'meeting.ongoing_polls',
          message: 'Meeting has ongoing polls',
          passes: (facts) => facts.ongoingPolls === 0,
        },
      ],
    },
    {
      name: 'make_ongoing',
      title: 'Start meeting',
      sources: ['upcoming', 'closed'],
      target: 'ongoing',
      permission: 'meeting.moderate',
      validators: [
        {
          code: 'meeting.invalid_er_policy',
          message: 'Must have valid electoral register policy name',
          passes: (facts) => facts.erPolicyValid,
        },
      ],
    },
    {
      name: 'close',
      title: 'Close meeting',
      sources: ['ongoing'],
      target: 'closed',
      permission: 'meeting.moderate',
      validators: [
        {
          code: 'meeting.ongoing_polls',
          message: 'Meeting has ongoing polls',
          passes: (facts) => facts.ongoingPolls === 0,
        },
      ],
    },
    {
      name: 'request_archiving',
      title: 'Request archiving',
      sources: ['closed'],
      target: 'archiving',
      permission: 'meeting.archive',
    },
    {
      name: 'abort_archiving',
      title: 'Abort archiving',
      sources: ['archiving'],
      target: 'closed',
      permission: 'meeting.archive',
    },
    {
      name: 'request_delete',
      title: 'Request deletion',
      sources: ['upcoming', 'ongoing', 'closed', 'archiving', 'archived'],
      target: 'deleting',
      permission: 'meeting.delete',
    },
    {
      name: 'abort_delete',
      title: 'Abort deletion',
      sources: ['deleting'],
      target: (facts) => {
        if (!facts.preDeleteState) throw new Error('abort_delete without pre_delete_state')
        return facts.preDeleteState
      },
      permission: 'meeting.delete',
      conditions: [
        {
          code: 'meeting.no_pre_delete_state',
          message: 'The state before deletion is unknown',
          holds: (facts) => facts.preDeleteState !== null,
        },
      ],
    },
    {
      name: 'archive',
      title: 'Archive',
      sources: ['archiving'],
      target: 'archived',
      internal: true,
      permission: 'job',
      conditions: [
        {
          code: 'meeting.archive_not_due',
          message: 'The archiving delay has not passed',
          holds: (facts) => facts.archiveAfterPassed,
        },
      ],
    },
  ],
})

export const ARCHIVE_DELAY_DAYS = 3

/** Field writes of a transition (domain §7.4, "Side effects"), as plain values. */
export interface MeetingPatch {
  state: MeetingState
  startTime?: Date
  endTime?: Date
  archiveAfter?: Date | null
  deleteRequested?: Date | null
  preDeleteState?: MeetingState | null
}

export function meetingTransitionPatch(
  event: string,
  from: MeetingState,
  to: MeetingState,
  now: Date
): MeetingPatch {
  switch (event) {
    case 'make_ongoing':
      return { state: to, startTime: now }
    case 'close':
      return { state: to, endTime: now }
    case 'request_archiving':
      return {
        state: to,
        archiveAfter: new Date(now.getTime() + ARCHIVE_DELAY_DAYS * 24 * 3600 * 1000),
      }
    case 'abort_archiving':
      return { state: to, archiveAfter: null }
    case 'request_delete':
      return { state: to, preDeleteState: from, deleteRequested: now }
    case 'abort_delete':
      return { state: to, preDeleteState: null, deleteRequested: null }
    default:
      return { state: to }
  }
}

export function evaluateMeetingEvent(
  state: MeetingState,
  event: string,
  facts: MeetingFacts,
  can: (permission: string) => boolean,
  force = false
): Evaluation<MeetingState> {
  return evaluate(meetingMachine, { state, event, facts, can, force })
}
