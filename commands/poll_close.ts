import { args, flags } from '@adonisjs/core/ace'
import { systemActor } from '#services/audit_log'
import { closeDuePolls } from '#services/poll_hooks'
import ClosePoll from '#actions/polls/close_poll'
import { OperatorCommand, OperatorError } from './_operator_command.js'
import { pollById } from './_polls.js'

/**
 * `poll:close <poll>` (domain §22.1): close and count a poll, exactly once
 * (the same lock and state check as the API). `--due` closes every ongoing
 * poll whose close_at has passed (the scheduled job, for cron set-ups).
 */
export default class PollClose extends OperatorCommand {
  static commandName = 'poll:close'
  static description = 'Close and count a poll (or every poll past its close_at with --due)'
  static help = [
    'node ace poll:close 42',
    'node ace poll:close --due',
    'Exit codes: 0 closed, 1 refused (one line on stderr).',
  ]

  @args.string({ description: 'Poll id', required: false })
  declare poll?: string

  @flags.boolean({ description: 'Close every ongoing poll whose close_at has passed' })
  declare due?: boolean

  async run() {
    if (this.due) {
      const closed = await closeDuePolls()
      this.logger.log(closed.length ? `Closed polls ${closed.join(', ')}` : 'No poll was due')
      return
    }
    if (!this.poll) throw new OperatorError('Give a poll id or --due')
    const poll = await pollById(this.poll)
    const closed = await new ClosePoll().execute({
      poll,
      user: null,
      actor: systemActor('cli'),
      force: true,
    })
    const result = closed.result as {
      approved?: unknown[]
      denied?: unknown[]
      vote_count?: number
    } | null
    this.logger.log(
      `Poll ${closed.id} is ${closed.state}` +
        (result
          ? `: ${result.vote_count} counted, approved [${result.approved?.join(', ')}], denied [${result.denied?.join(', ')}]`
          : '') +
        (closed.ballotChecksum ? `, checksum ${closed.ballotChecksum.slice(0, 16)}…` : '')
    )
  }
}
