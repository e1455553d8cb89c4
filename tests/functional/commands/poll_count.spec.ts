import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import PollCount from '../../../commands/poll_count.js'
import { runCommand } from '#tests/helpers/commands'
import { compareExpected, loadFixtures } from '#tests/unit/domain/polls/counting/fixtures'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** The standalone CLI (bin/count.ts), the reference poll:count must match byte for byte. */
function standalone(argv: string[], input?: string) {
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/node'),
    ['--import=@poppinss/ts-exec', 'bin/count.ts', ...argv],
    {
      cwd: ROOT,
      input,
      encoding: 'utf8',
      timeout: 60_000,
    }
  )
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

async function pollCount(argv: string[], input?: string) {
  const { command, stdout, stderr } = await runCommand(PollCount, argv, (cmd) => {
    if (input !== undefined) cmd.stdin = Readable.from([input])
  })
  // The UI logger adds the newline after each message; the CLI writes it itself.
  return {
    code: command.exitCode,
    stdout: stdout ? stdout + '\n' : '',
    stderr: stderr ? stderr + '\n' : '',
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'poll-count-'))
function file(name: string, content: string) {
  const path = join(scratch, name)
  writeFileSync(path, content)
  return path
}

const BLT = [
  '4 2',
  '-4',
  ' 4 1 2 0',
  ' 3 2 0 ',
  ' 2 3 1 4 0',
  '1 4 0',
  '0',
  '"Ann"',
  '"Bo"',
  '"Cy"',
  '"Withdrawn"',
  '"Test"',
  '',
].join('\n')
const TIED = JSON.stringify({
  method: 'schulze',
  candidates: [1, 2],
  ballots: [
    {
      ranking: [
        [1, 1],
        [2, 1],
      ],
      count: 1,
    },
  ],
})

test.group('Commands | poll:count (domain §22.1, poll-methods §9.5)', () => {
  test('counts every public fixture exactly like npm run count (one JSON line each, in order)', async ({
    assert,
  }) => {
    // A fixed seed for documents without one, so that random tie-break orders are reproducible.
    const argv = ['--seed', 'fixtures', ...loadFixtures().map((fixture) => fixture.path)]
    const ours = await pollCount(argv)
    assert.equal(ours.code, 0, ours.stderr)
    const theirs = standalone(argv).stdout.split('\n')
    ours.stdout
      .split('\n')
      .forEach((line, i) => assert.isTrue(line === theirs[i], `line ${i} differs`))
    assert.lengthOf(ours.stdout.split('\n'), theirs.length)
    const lines = ours.stdout.trimEnd().split('\n')
    loadFixtures().forEach((fixture, i) => {
      assert.deepEqual(compareExpected(fixture.doc, JSON.parse(lines[i])), [], fixture.file)
    })
  }).timeout(120_000)

  test('--seed, --pretty, --format blt --method and stdin give the same output as the CLI', async ({
    assert,
  }) => {
    const cases: Array<[string[], string?]> = [
      [['--seed', 'S1', '-'], TIED],
      [['--pretty', '--seed', 'P', file('ward.blt', BLT), file('tied.json', TIED)]],
      [['--format', 'blt', '--method', 'irv', '--seed', 'Q', '-'], BLT],
    ]
    for (const [argv, input] of cases) {
      const ours = await pollCount(argv, input)
      const theirs = standalone(argv, input)
      assert.equal(ours.code, 0, ours.stderr)
      assert.equal(ours.stdout, theirs.stdout, argv.join(' '))
    }
    assert.equal(JSON.parse((await pollCount(['--seed', 'S1', '-'], TIED)).stdout).seed, 'S1')
  }).timeout(120_000)

  test('invalid input: the same error line and exit code 2 as the CLI', async ({ assert }) => {
    const strictDoc = JSON.stringify({
      method: 'repeated_irv',
      settings: { winners: 1 },
      candidates: [1, 2, 3],
      ballots: [{ ranking: [1], count: 1 }],
    })
    const cases: Array<[string[], string?]> = [
      [[join(scratch, 'missing.json')]],
      [[file('broken.json', '{"method": ')]],
      [[file('unknown.json', JSON.stringify({ method: 'nope', candidates: [1], ballots: [] }))]],
      [['--strict', '-'], strictDoc],
      [['--method', 'irv', file('plain.json', TIED)]],
    ]
    for (const [argv, input] of cases) {
      const ours = await pollCount(argv, input)
      const theirs = standalone(argv, input)
      assert.equal(theirs.code, 2, theirs.stderr)
      assert.equal(ours.code, 2)
      assert.equal(ours.stderr, theirs.stderr)
      assert.equal(ours.stdout, theirs.stdout)
    }
    // Without --strict the same document counts.
    assert.equal((await pollCount(['-'], strictDoc)).code, 0)
  }).timeout(120_000)
})
