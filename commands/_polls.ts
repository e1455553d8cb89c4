import Poll from '#models/poll'
import { OperatorError } from './_operator_command.js'

/** The poll named on the command line (ids are global; the organisation comes from the row). */
export async function pollById(id: string | number): Promise<Poll> {
  if (!/^\d+$/.test(String(id))) throw new OperatorError(`A poll id is a number, not "${id}"`)
  const poll = await Poll.acrossOrganisations('operator command names a poll by id')
    .where('id', Number(id))
    .first()
  if (!poll) throw new OperatorError(`No poll with id ${id}`)
  return poll
}
