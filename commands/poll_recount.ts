import { args, flags } from '@adonisjs/core/ace'
import canonicalize from 'canonicalize'
import { recountBundle } from '#domain/polls/bundle'
import type { CountDocument } from '#domain/polls/counting/index'
import { systemActor } from '#services/audit_log'
import ClosePoll from '#actions/polls/close_poll'
import { OperatorCommand, OperatorError } from './_operator_command.js'
import { pollById } from './_polls.js'

/**
 * `poll:recount <poll> [--apply]` (domain §22.1, B-NEW-01): recounts the stored
 * count document (same seed) and compares checksum and result with what was
 * stored at close. Exit 0 when both match, 1 when they differ. With `--apply`
 * on a `failed` poll, retries its completion (close again).
 */
export default class PollRecount extends OperatorCommand {
  static commandName = 'poll:recount'
  static description =
    'Recount a closed poll from its stored ballots and compare with the stored result'
  static help = [
    'node ace poll:recount 42',
    'node ace poll:recount 42 --apply   (retry a failed poll)',
  ]

  @args.string({ description: 'Poll id' })
  declare poll: string

  @flags.boolean({ description: 'On a failed poll: retry the count (close again)' })
  declare apply?: boolean

  async run() {
    const poll = await pollById(this.poll)
    if (this.apply) {
      if (poll.state !== 'failed')
        throw new OperatorError(
          `Poll ${poll.id} is ${poll.state}; --apply only retries failed polls`
        )
      const closed = await new ClosePoll().execute({
        poll,
        user: null,
        actor: systemActor('cli'),
        force: true,
      })
      this.logger.log(`Poll ${closed.id} is ${closed.state}`)
      return
    }
    if (!poll.countDocument || !poll.result || !poll.turnout)
      throw new OperatorError(`Poll ${poll.id} (${poll.state}) has no stored count`)
    const recount = recountBundle({
      count_document: poll.countDocument as unknown as CountDocument,
      poll: { quorum: poll.quorum, majority: poll.majority } as never,
      register: poll.turnout,
    })
    const strip = (result: Record<string, unknown>) =>
      canonicalize(Object.fromEntries(Object.entries(result).filter(([key]) => key !== 'runtime')))
    const checksumOk = recount.checksum === poll.ballotChecksum
    const resultOk = strip(recount.result) === strip(poll.result)
    this.logger.log(`checksum ${checksumOk ? 'matches' : 'DIFFERS'}: ${recount.checksum}`)
    this.logger.log(`result ${resultOk ? 'matches' : 'DIFFERS'}`)
    if (!checksumOk || !resultOk) this.exitCode = 1
  }
}
