/**
 * Agenda item state machine (domain §8.2). Data table + the generic evaluator.
 */
import { defineMachine, evaluate, type Evaluation } from '#domain/state_machines/machine'
import type { MeetingState } from '#domain/meetings/state_machine'

export const agendaItemStates = ['private', 'upcoming', 'ongoing', 'closed', 'archived'] as const
export type AgendaItemState = (typeof agendaItemStates)[number]

/** Shared state predicates (domain §0.3). */
export const isAgendaItemActive = (state: AgendaItemState) =>
  state === 'upcoming' || state === 'ongoing'
export const isAgendaItemModeratorEditable = (state: AgendaItemState) =>
  state === 'private' || state === 'upcoming' || state === 'ongoing'
export const isAgendaItemFinished = (state: AgendaItemState) =>
  state === 'closed' || state === 'archived'

export interface AgendaItemFacts {
  /** The state the item is in before the event (validators that apply "from ongoing" only). */
  from: AgendaItemState
  meetingState: MeetingState
  ongoingPolls: number
}

const noOngoingPollsFromOngoing = {
  code: 'agenda_item.ongoing_polls',
  message: 'The agenda item has ongoing polls',
  passes: (facts: AgendaItemFacts) => facts.from !== 'ongoing' || facts.ongoingPolls === 0,
}

export const agendaItemMachine = defineMachine<AgendaItemState, AgendaItemFacts>({
  name: 'AgendaItem',
  states: agendaItemStates,
  initial: 'private',
  final: ['archived'],
  events: [
    {
      name: 'make_upcoming',
      title: 'Make upcoming',
      sources: ['private', 'closed', 'ongoing'],
      target: 'upcoming',
      permission: 'agenda_item.change',
      validators: [noOngoingPollsFromOngoing],
    },
    {
      name: 'unpublish',
      title: 'Unpublish',
      sources: ['upcoming', 'closed', 'ongoing'],
      target: 'private',
      permission: 'agenda_item.change',
      validators: [noOngoingPollsFromOngoing],
    },
    {
      name: 'make_ongoing',
      title: 'Make ongoing',
      sources: ['private', 'upcoming', 'closed'],
      target: 'ongoing',
      permission: 'agenda_item.change',
      conditions: [
        {
          code: 'agenda_item.meeting_not_ongoing',
          message: 'The meeting is not ongoing',
          holds: (facts) => facts.meetingState === 'ongoing',
        },
      ],
    },
    {
      name: 'close',
      title: 'Close',
      sources: ['private', 'upcoming', 'ongoing'],
      target: 'closed',
      permission: 'agenda_item.change',
      conditions: [
        {
          code: 'agenda_item.meeting_upcoming',
          message: 'The meeting is upcoming',
          holds: (facts) => facts.meetingState !== 'upcoming',
        },
      ],
      validators: [
        {
          code: 'agenda_item.ongoing_polls',
          message: 'The agenda item has ongoing polls',
          passes: (facts) => facts.ongoingPolls === 0,
        },
      ],
    },
    {
      name: 'archive',
      title: 'Archive',
      sources: ['private', 'upcoming', 'ongoing', 'closed'],
      target: 'archived',
      internal: true,
      permission: 'internal',
    },
  ],
})

/** Bulk change sends the target state; the event that leads there (domain §8.2, api.md Q3). */
export const eventForTargetState: Record<'private' | 'upcoming' | 'ongoing' | 'closed', string> = {
  private: 'unpublish',
  upcoming: 'make_upcoming',
  ongoing: 'make_ongoing',
  closed: 'close',
}

export function evaluateAgendaItemEvent(
  state: AgendaItemState,
  event: string,
  facts: Omit<AgendaItemFacts, 'from'>,
  can: (permission: string) => boolean,
  force = false
): Evaluation<AgendaItemState> {
  return evaluate(agendaItemMachine, { state, event, facts: { ...facts, from: state }, can, force })
}
