/*
|--------------------------------------------------------------------------
| Standalone counting CLI (poll-methods spec, section 9.5)
|--------------------------------------------------------------------------
|
| npm run --silent count -- [options] FILE…   (FILE "-" = standard input)
|
| Uses only the framework-free counting library; never boots the app.
| Exit codes: 0 success, 2 invalid input (one line on stderr), 3 internal error.
| With --verify each FILE is a signed result bundle (api.md §11.3): exit 0 when
| signature, checksum and recount all hold, 1 when any does not (named on stderr).
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
import { BUNDLE_FORMAT, verifyBundle, type ResultBundle } from '#domain/polls/bundle'

type Options = CountTextOptions & { verify?: boolean; publicKey?: string }

const EXIT_MISMATCH = 1

/** --verify: one JSON line per bundle; problems on stderr; true when everything holds. */
function verifyFile(file: string, name: string, opts: Options): boolean {
  let bundle: ResultBundle
  try {
    bundle = JSON.parse(readInput(file).replace(/^\uFEFF/, ''))
  } catch (error) {
    if (error instanceof InputProblem) throw error
    throw new InputProblem(`not valid JSON (${oneLine((error as Error).message)})`)
  }
  if (!bundle || typeof bundle !== 'object' || bundle.format !== BUNDLE_FORMAT) {
    throw new InputProblem(`not a result bundle (format must be "${BUNDLE_FORMAT}")`)
  }
  for (const key of [
    'count_document',
    'result',
    'signature',
    'public_key',
    'poll',
    'register',
  ] as const) {
    if (!bundle[key]) throw new InputProblem(`not a result bundle (missing "${key}")`)
  }
  const outcome = verifyBundle(bundle, opts.publicKey)
  process.stdout.write(
    JSON.stringify({
      file: name,
      poll: bundle.poll.id,
      signature_valid: outcome.signatureValid,
      checksum_matches: outcome.checksumMatches,
      result_matches: outcome.resultMatches,
    }) + '\n'
  )
  for (const problem of outcome.problems) process.stderr.write(`${name}: ${problem}\n`)
  return outcome.problems.length === 0
}

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
    .option(
      '--verify',
      'each FILE is a signed result bundle: check signature, checksum and recount'
    )
    .option(
      '--public-key <key>',
      'with --verify: the organisation key (base64) the bundle must be signed with'
    )
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
  if (opts.verify) {
    let allHold = true
    for (const file of files) {
      const name = file === '-' ? '<stdin>' : file
      try {
        allHold = verifyFile(file, name, opts) && allHold
      } catch (error) {
        const failure = describeCountFailure(name, error)
        process.stderr.write(failure.line + '\n')
        return failure.exitCode
      }
    }
    return allHold ? 0 : EXIT_MISMATCH
  }
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
