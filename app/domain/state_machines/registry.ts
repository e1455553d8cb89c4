/**
 * Every published state machine (api.md §6.1: `GET /api/state-machines`).
 * Later machines (proposals, polls, speaker lists, invites) register here.
 */
import type { MachineDefinition } from '#domain/state_machines/machine'
import { meetingMachine } from '#domain/meetings/state_machine'
import { agendaItemMachine } from '#domain/agenda/state_machine'
import { speakerListMachine, speakerSystemMachine } from '#domain/speakers/state_machines'
import { inviteMachine } from '#domain/invitations/state_machine'
import { proposalMachine } from '#domain/proposals/state_machine'
import { pollMachine } from '#domain/polls/state_machine'

const machines = new Map<string, MachineDefinition<string, any>>()

export function registerMachine(machine: MachineDefinition<string, any>) {
  machines.set(machine.name, machine)
}

export function allMachines(): MachineDefinition<string, any>[] {
  return [...machines.values()]
}

export function findMachine(name: string): MachineDefinition<string, any> | undefined {
  return machines.get(name)
}

registerMachine(meetingMachine as MachineDefinition<string, any>)
registerMachine(agendaItemMachine as MachineDefinition<string, any>)
registerMachine(inviteMachine as MachineDefinition<string, any>)
registerMachine(proposalMachine as MachineDefinition<string, any>)
registerMachine(speakerSystemMachine as MachineDefinition<string, any>)
registerMachine(speakerListMachine as MachineDefinition<string, any>)
registerMachine(pollMachine as MachineDefinition<string, any>)
