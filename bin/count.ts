/*
|--------------------------------------------------------------------------
| Standalone counting CLI (poll-methods spec, section 9.5)
|--------------------------------------------------------------------------
|
| npm run --silent count -- [options] FILE…   (FILE "-" = standard input)
|
| Uses only the framework-free counting library; never boots the app.
| Exit codes: 0 success, 2 invalid input (one line on stderr), 3 internal error.
*/
import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import {
  countText,
  describeCountFailure,
  EXIT_INTERNAL,
  EXIT_INVALID,
  InputProblem,
  oneLine,
  type CountTextOptions,
} from '#domain/polls/counting/count_document'

type Options = CountTextOptions

function readInput(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputProblem(`cannot read (${code ?? (error as Error).message})`)
  }
}

/** Reading stays here; parsing, counting and formatting are shared with `node ace poll:count`. */
function countFile(file: string, opts: Options): string {
  return countText(readInput(file), file, opts)
}

function run(argv: string[]): number {
  const program = new Command()
    .name('count')
    .description(
      'Count poll documents (JSON count documents or BLT profiles); one JSON line per result.'
    )
    .argument('<files...>', 'count documents; "-" reads standard input')
    .addOption(
      new Option('--format <format>', 'input format (default: by extension)').choices([
        'json',
        'blt',
      ])
    )
    .option('--method <method>', 'method for BLT input (default scottish_stv)')
    .option('--seed <seed>', 'seed for documents without one')
    .option('--pretty', 'print a readable round-by-round table instead of JSON')
    .option('--strict', 'also apply the poll rules (settings limits, start check, vote validation)')
    .exitOverride()
    .configureOutput({
      // Commander's own errors (unknown option, missing file): one line, no usage dump.
      outputError: (message, write) => write(message.trim().split('\n')[0] + '\n'),
    })

  try {
    program.parse(argv)
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : EXIT_INVALID
    }
    throw error
  }
  const opts = program.opts<Options>()
  const files = program.args
  for (const [index, file] of files.entries()) {
    const name = file === '-' ? '<stdin>' : file
    let output: string
    try {
      output = countFile(file, opts)
    } catch (error) {
      const failure = describeCountFailure(name, error)
      process.stderr.write(failure.line + '\n')
      return failure.exitCode
    }
    // Streamed in order, so results counted before a failing file are still printed whole.
    process.stdout.write((opts.pretty && index > 0 ? '\n' : '') + output + '\n')
  }
  return 0
}

// A closed pipe (`… | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  process.stderr.write(`count: cannot write output (${error.code ?? error.message})\n`)
  process.exit(EXIT_INTERNAL)
})

try {
  process.exitCode = run(process.argv)
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`count: internal error: ${oneLine(message)}\n`)
  process.exitCode = EXIT_INTERNAL
}
