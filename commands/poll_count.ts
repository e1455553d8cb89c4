import { readFile } from 'node:fs/promises'
import { args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import {
  countText,
  describeCountFailure,
  EXIT_INVALID,
  InputProblem,
  type CountTextOptions,
} from '#domain/polls/counting/count_document'
import { OperatorCommand } from './_operator_command.js'

/**
 * `poll:count FILE…` (domain §22.1, poll-methods spec §9.5): counts count
 * documents with the same code as `npm run count` (bin/count.ts), so both
 * print the same results and the same error lines. Needs no database.
 */
export default class PollCount extends OperatorCommand {
  static commandName = 'poll:count'
  static description = 'Count count documents (JSON, or BLT profiles); one JSON line per result'
  static options: CommandOptions = { startApp: false }
  static help = [
    'node ace poll:count poll.json',
    'node ace poll:count --format blt --method scottish_stv --pretty election.blt',
    'Exit codes: 0 counted, 2 invalid input (one line on stderr), 3 internal error.',
  ]

  @args.spread({ description: 'Count documents; "-" reads standard input' })
  declare files: string[]

  @flags.string({ description: 'Input format: json or blt (default: by file extension)' })
  declare format?: string

  @flags.string({ description: 'Method for BLT input (default scottish_stv)' })
  declare method?: string

  @flags.string({ description: 'Seed for documents without one' })
  declare seed?: string

  @flags.boolean({ description: 'Print a readable round-by-round table instead of JSON' })
  declare pretty?: boolean

  @flags.boolean({
    description: 'Also apply the poll rules (settings limits, start check, vote validation)',
  })
  declare strict?: boolean

  /** Where "-" reads from; a seam for tests. */
  stdin: NodeJS.ReadableStream = process.stdin

  async run() {
    if (this.format !== undefined && this.format !== 'json' && this.format !== 'blt') {
      this.logger.logError(`--format must be json or blt, not "${this.format}"`)
      this.exitCode = EXIT_INVALID
      return
    }
    const opts: CountTextOptions = {
      format: this.format as CountTextOptions['format'],
      method: this.method,
      seed: this.seed,
      pretty: this.pretty,
      strict: this.strict,
    }
    for (const [index, file] of this.files.entries()) {
      const name = file === '-' ? '<stdin>' : file
      let output: string
      try {
        output = countText(await this.read(file), file, opts)
      } catch (error) {
        // The same line and exit code as the standalone CLI (2 invalid input, 3 internal error).
        const failure = describeCountFailure(name, error)
        this.logger.logError(failure.line)
        this.exitCode = failure.exitCode
        return
      }
      this.logger.log((this.pretty && index > 0 ? '\n' : '') + output)
    }
  }

  private async read(file: string) {
    try {
      if (file !== '-') return await readFile(file, 'utf8')
      let text = ''
      for await (const chunk of this.stdin) text += chunk.toString()
      return text
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new InputProblem(`cannot read (${code ?? (error as Error).message})`)
    }
  }
}
