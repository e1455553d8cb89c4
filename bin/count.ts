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
  bltToDocument,
  count,
  CountInputError,
  normalizeSettings,
  parseBlt,
  resolveMethod,
  startCheck,
  validateVote,
  type CountResult,
  type MethodId,
} from '#domain/polls/counting/index'
import { pollSettingsOf } from '#domain/polls/counting/settings'
import { formatPretty } from '#domain/polls/counting/pretty'

const EXIT_INVALID = 2
const EXIT_INTERNAL = 3

interface Options {
  format?: 'json' | 'blt'
  method?: string
  seed?: string
  pretty?: boolean
  strict?: boolean
}

/** An input problem reported as one line on stderr with exit code 2. */
class InputProblem extends Error {}

function readInput(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputProblem(`cannot read (${code ?? (error as Error).message})`)
  }
}

function loadDocument(file: string, opts: Options): unknown {
  const text = readInput(file)
  const blt = opts.format === 'blt' || (opts.format === undefined && /\.blt$/i.test(file))
  if (blt) {
    const method =
      opts.method === undefined ? 'scottish_stv' : resolveMethod(opts.method, '--method')
    return bltToDocument(parseBlt(text), method)
  }
  if (opts.method !== undefined) throw new InputProblem('--method applies to BLT input only')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InputProblem(`invalid JSON: ${(error as Error).message}`)
  }
}

/** `--strict`: the poll rules of sections 2 and 3.1 on top of the counting rules. */
function applyPollRules(doc: Record<string, unknown>, result: CountResult): void {
  const method: MethodId = result.method
  const settings = normalizeSettings(method, pollSettingsOf(method, doc.settings))
  const candidates = doc.candidates as Array<number | string>
  const problems = startCheck(method, settings, candidates.length)
  if (problems.length) throw new InputProblem(`poll rules: ${problems[0]}`)
  const ballots = doc.ballots as Array<Record<string, unknown>>
  ballots.forEach((ballot, i) => {
    const payload = { ...ballot }
    delete payload.count
    const issues = validateVote(method, settings, candidates, payload)
    if (issues.length) throw new InputProblem(`ballots[${i}]: poll rules: ${issues[0]}`)
  })
}

function countFile(file: string, opts: Options): string {
  const doc = loadDocument(file, opts)
  if (opts.seed !== undefined && typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    const d = doc as Record<string, unknown>
    if (d.seed === undefined || d.seed === null) d.seed = opts.seed
  }
  const result = count(doc)
  if (opts.strict) applyPollRules(doc as Record<string, unknown>, result)
  return opts.pretty ? formatPretty(result) : JSON.stringify(result)
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
      if (error instanceof CountInputError) {
        process.stderr.write(`${name}: ${oneLine(error.message)} [${error.code}]\n`)
        return EXIT_INVALID
      }
      if (error instanceof InputProblem) {
        process.stderr.write(`${name}: ${oneLine(error.message)}\n`)
        return EXIT_INVALID
      }
      const message = error instanceof Error ? error.message : String(error)
      process.stderr.write(`${name}: internal error: ${oneLine(message)}\n`)
      return EXIT_INTERNAL
    }
    // Streamed in order, so results counted before a failing file are still printed whole.
    process.stdout.write((opts.pretty && index > 0 ? '\n' : '') + output + '\n')
  }
  return 0
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ')
}

try {
  process.exitCode = run(process.argv)
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`count: internal error: ${oneLine(message)}\n`)
  process.exitCode = EXIT_INTERNAL
}
