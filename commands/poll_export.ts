import { writeFile } from 'node:fs/promises'
import { args, flags } from '@adonisjs/core/ace'
import { buildResultBundle } from '#services/result_bundles'
import { OperatorCommand, OperatorError } from './_operator_command.js'
import { pollById } from './_polls.js'

/** `poll:export <poll> [--out file]` (B-NEW-01): the signed result bundle, as `GET /api/polls/{id}/bundle`. */
export default class PollExport extends OperatorCommand {
  static commandName = 'poll:export'
  static description = 'Write the signed result bundle of a counted poll (stdout or --out)'
  static help = [
    'node ace poll:export 42 --out poll-42.json',
    'npm run --silent count -- --verify poll-42.json',
  ]

  @args.string({ description: 'Poll id' })
  declare poll: string

  @flags.string({ description: 'Write to this file instead of standard output' })
  declare out?: string

  async run() {
    const poll = await pollById(this.poll)
    if (!poll.countDocument)
      throw new OperatorError(`Poll ${poll.id} (${poll.state}) has no counted result`)
    const json = JSON.stringify(await buildResultBundle(poll), null, 2) + '\n'
    if (this.out) {
      await writeFile(this.out, json)
      this.logger.log(`Wrote ${this.out}`)
    } else {
      process.stdout.write(json)
    }
  }
}
