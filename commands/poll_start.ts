import { args } from '@adonisjs/core/ace'
import { systemActor } from '#services/audit_log'
import TransitionPoll from '#actions/polls/transition_poll'
import { OperatorCommand } from './_operator_command.js'
import { pollById } from './_polls.js'

/** `poll:start <poll>` (domain §22.1): `make_ongoing` as the operator, with every guard of the machine. */
export default class PollStart extends OperatorCommand {
  static commandName = 'poll:start'
  static description = 'Start a poll (make_ongoing): register frozen, proposals locked'
  static help = ['node ace poll:start 42', 'Exit codes: 0 started, 1 refused (one line on stderr).']

  @args.string({ description: 'Poll id' })
  declare poll: string

  async run() {
    const poll = await pollById(this.poll)
    const started = await new TransitionPoll().execute({
      poll,
      event: 'make_ongoing',
      user: null,
      actor: systemActor('cli'),
      force: true,
    })
    this.logger.log(
      `Poll ${started.id} is ${started.state} (register ${started.electoralRegisterId ?? 'none'})`
    )
  }
}
