/**
 * Speaker system (domain §12.2) and speaker list (domain §12.3) state
 * machines: data tables run by the shared evaluator of
 * app/domain/state_machines/machine.ts.
 */
import { defineMachine, evaluate, type Evaluation } from '#domain/state_machines/machine'

export const speakerSystemStates = ['active', 'inactive', 'archived'] as const
export type SpeakerSystemState = (typeof speakerSystemStates)[number]

export const speakerListStates = ['open', 'closed'] as const
export type SpeakerListState = (typeof speakerListStates)[number]

export interface SpeakerSystemFacts {
  /** Someone is speaking in the system's active list. */
  someoneSpeaking: boolean
}

export const SOMEONE_SPEAKING = 'speaker.someone_speaking'

export const speakerSystemMachine = defineMachine<SpeakerSystemState, SpeakerSystemFacts>({
  name: 'SpeakerListSystem',
  states: speakerSystemStates,
  initial: 'active',
  final: ['archived'],
  events: [
    {
      name: 'activate',
      title: 'Activate',
      sources: ['inactive'],
      target: 'active',
      permission: 'speaker_list_system.change_state',
    },
    {
      name: 'inactivate',
      title: 'Inactivate',
      sources: ['active'],
      target: 'inactive',
      permission: 'speaker_list_system.change_state',
      validators: [
        {
          code: SOMEONE_SPEAKING,
          message: 'Deactivate active speaker first',
          passes: (facts) => !facts.someoneSpeaking,
        },
      ],
    },
    {
      name: 'archive',
      title: 'Archive',
      sources: ['active', 'inactive'],
      target: 'archived',
      internal: true,
      permission: 'internal',
    },
  ],
})

export const speakerListMachine = defineMachine<SpeakerListState, Record<string, never>>({
  name: 'SpeakerList',
  states: speakerListStates,
  initial: 'open',
  final: [],
  events: [
    {
      name: 'open',
      title: 'Open',
      sources: ['closed'],
      target: 'open',
      permission: 'speaker_list.change',
    },
    {
      name: 'close',
      title: 'Close',
      sources: ['open'],
      target: 'closed',
      permission: 'speaker_list.change',
    },
  ],
})

export function evaluateSpeakerSystemEvent(
  state: SpeakerSystemState,
  event: string,
  facts: SpeakerSystemFacts,
  can: (permission: string) => boolean,
  force = false
): Evaluation<SpeakerSystemState> {
  return evaluate(speakerSystemMachine, { state, event, facts, can, force })
}

export function evaluateSpeakerListEvent(
  state: SpeakerListState,
  event: string,
  can: (permission: string) => boolean,
  force = false
): Evaluation<SpeakerListState> {
  return evaluate(speakerListMachine, { state, event, facts: {}, can, force })
}

/** Side effects of a system transition on its own fields (domain §12.2). */
export function systemTransitionPatch(event: string, to: SpeakerSystemState) {
  if (event === 'inactivate' || event === 'archive') return { state: to, clearActiveList: true }
  return { state: to, clearActiveList: false }
}
