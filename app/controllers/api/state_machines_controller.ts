import type { HttpContext } from '@adonisjs/core/http'
import { notFound } from '#domain/errors'
import { allMachines, findMachine } from '#domain/state_machines/registry'
import { publishMachine } from '#domain/state_machines/machine'

/** GET /api/state-machines[/{name}] (api.md §6.1): no authentication. */
export default class StateMachinesController {
  async index() {
    return allMachines().map(publishMachine)
  }

  async show({ params }: HttpContext) {
    const machine = findMachine(params.name)
    if (!machine) throw notFound('No such state machine')
    return publishMachine(machine)
  }
}
