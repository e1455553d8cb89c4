import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compareExpected, loadFixtures } from '../domain/polls/counting/fixtures.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const NODE = join(ROOT, 'node_modules/.bin/node')

function cli(args: string[], input?: string) {
  const run = spawnSync(NODE, ['--import=@poppinss/ts-exec', 'bin/count.ts', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

const scratch = mkdtempSync(join(tmpdir(), 'count-cli-'))
function file(name: string, content: string): string {
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
  '"Ann Smith"',
  '"Bo  Lee"',
  '"Cy"',
  '"Withdrawn"',
  '"Test election"',
  '',
].join('\n')

test.group('CLI | count', () => {
  test('every public fixture passes through the CLI with the expected outcome (JSON Lines, in order)', ({
    assert,
  }) => {
    const fixtures = loadFixtures()
    const { code, stdout, stderr } = cli(fixtures.map((f) => f.path))
    assert.equal(code, 0, stderr)
    const lines = stdout.trimEnd().split('\n')
    assert.lengthOf(lines, fixtures.length)
    fixtures.forEach((fixture, i) => {
      const result = JSON.parse(lines[i]!)
      assert.equal(result.method, fixture.doc.method, fixture.file)
      assert.deepEqual(compareExpected(fixture.doc, result), [], fixture.file)
    })
  }).timeout(60_000)

  test('one file prints one compact JSON line; "-" reads stdin; --seed fills a missing seed', ({
    assert,
  }) => {
    const doc = {
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
    }
    const { code, stdout, stderr } = cli(['--seed', 'S1', '-'], JSON.stringify(doc))
    assert.equal(code, 0, stderr)
    assert.equal(stderr, '')
    assert.equal(stdout.split('\n').length, 2) // one line + trailing newline
    const result = JSON.parse(stdout)
    assert.equal(result.seed, 'S1')
    assert.isTrue(result.randomized)
    const again = cli(['-'], JSON.stringify({ ...doc, seed: 'S1' }))
    assert.equal(again.stdout, stdout)
  })

  test('a document seed wins over --seed', ({ assert }) => {
    const doc = { method: 'irv', candidates: [1, 2], ballots: [], seed: 'own' }
    assert.equal(JSON.parse(cli(['--seed', 'other', '-'], JSON.stringify(doc)).stdout).seed, 'own')
  })

  test('invalid input: exit 2, one line naming the problem, no stack trace: {0}')
    .with([
      [
        'unknown candidate',
        JSON.stringify({
          method: 'irv',
          candidates: [1, 2, 3],
          ballots: [1, 2, 3]
            .map(() => ({ ranking: [1], count: 1 }))
            .concat([{ ranking: [2, 12], count: 1 }]),
        }),
        'ballots[3].ranking[1]: unknown candidate 12',
      ],
      [
        'historic method',
        JSON.stringify({ method: 'schulze_pr', candidates: [1], ballots: [] }),
        "historic methods can't be used",
      ],
      [
        'unknown method',
        JSON.stringify({ method: 'borda', candidates: [1], ballots: [] }),
        'unknown method "borda"',
      ],
      ['broken JSON', '{"method": ', 'invalid JSON'],
      ['not an object', '[]', 'must be a JSON object'],
      [
        'negative count',
        JSON.stringify({ method: 'dutt', candidates: [1], ballots: [{ choices: [1], count: -1 }] }),
        'ballots[0].count: must be a non-negative integer',
      ],
      [
        'malformed settings',
        JSON.stringify({
          method: 'scottish_stv',
          settings: { winners: '2' },
          candidates: [1, 2],
          ballots: [],
        }),
        'settings.winners: must be an integer',
      ],
      [
        'duplicate in a ranking',
        JSON.stringify({
          method: 'irv',
          candidates: [1, 2],
          ballots: [{ ranking: [2, 2], count: 1 }],
        }),
        'ballots[0].ranking[1]: duplicate candidate 2',
      ],
      [
        'wrong payload shape',
        JSON.stringify({
          method: 'majority',
          candidates: [1, 2],
          ballots: [{ choices: [1], count: 1 }],
        }),
        'ballots[0].choices: unexpected key',
      ],
    ] as Array<[string, string, string]>)
    .run(({ assert }, [_why, input, message]) => {
      const { code, stdout, stderr } = cli(['-'], input)
      assert.equal(code, 2)
      assert.equal(stdout, '')
      assert.include(stderr, message)
      assert.equal(stderr.trimEnd().split('\n').length, 1, stderr)
      assert.notMatch(stderr, /\n\s+at /)
    })
    .timeout(30_000)

  test('a missing file and an unknown option exit 2 with one line', ({ assert }) => {
    const missing = cli([join(scratch, 'nope.json')])
    assert.equal(missing.code, 2)
    assert.include(missing.stderr, 'nope.json: cannot read (ENOENT)')
    const option = cli(['--frobnicate', 'x.json'])
    assert.equal(option.code, 2)
    assert.equal(option.stderr.trimEnd().split('\n').length, 1)
  }).timeout(30_000)

  test('several files: results before a failing file are printed, then exit 2', ({ assert }) => {
    const good = file(
      'good.json',
      JSON.stringify({ method: 'simple', candidates: [1], ballots: [] })
    )
    const bad = file(
      'bad.json',
      JSON.stringify({ method: 'simple', candidates: [1, 2], ballots: [] })
    )
    const { code, stdout, stderr } = cli([good, bad, good])
    assert.equal(code, 2)
    assert.lengthOf(stdout.trimEnd().split('\n'), 1)
    assert.include(stderr, 'bad.json: candidates: simple needs exactly 1 candidate')
  }).timeout(30_000)

  test('--strict applies the poll rules that plain counting ignores', ({ assert }) => {
    const doc = JSON.stringify({
      method: 'repeated_irv',
      settings: { winners: 1 },
      candidates: [1, 2, 3],
      ballots: [{ ranking: [1], count: 1 }],
    })
    assert.equal(cli(['-'], doc).code, 0)
    const strict = cli(['--strict', '-'], doc)
    assert.equal(strict.code, 2)
    assert.include(strict.stderr, 'settings.winners: must be at least 2')

    const tooFewProposals = JSON.stringify({
      method: 'scottish_stv',
      settings: { winners: 2, pedantic_order: true },
      candidates: [1, 2],
      ballots: [{ ranking: [1], count: 1 }],
    })
    assert.include(
      cli(['--strict', '-'], tooFewProposals).stderr,
      "can't have as many winners as proposals"
    )

    const badVote = JSON.stringify({
      method: 'dutt',
      settings: { min: 0, max: 1 },
      candidates: [1, 2],
      ballots: [{ choices: [1, 2], count: 1 }],
    })
    assert.include(
      cli(['--strict', '-'], badVote).stderr,
      'ballots[0]: poll rules: Too many proposals picked'
    )
  }).timeout(30_000)

  test('BLT by extension: names as ids, withdrawn candidate removed, scottish_stv with the seats', ({
    assert,
  }) => {
    const { code, stdout, stderr } = cli([file('ward.blt', BLT)])
    assert.equal(code, 0, stderr)
    const result = JSON.parse(stdout)
    assert.equal(result.method, 'scottish_stv')
    assert.sameMembers(result.candidates, ['Ann Smith', 'Bo  Lee', 'Cy'])
    assert.equal(result.vote_count, 10)
    assert.equal(result.empty_ballot_count, 1) // "1 4 0" ranks only the withdrawn candidate
    assert.equal(result.quota, 4) // floor(9 / 3) + 1
    assert.lengthOf(result.winners, 2)
    assert.include(result.ballot_data, '"Ann Smith,Bo  Lee": 4')
  })

  test('--format blt from stdin with --method irv and --pretty', ({ assert }) => {
    const { code, stdout, stderr } = cli(
      ['--format', 'blt', '--method', 'irv', '--pretty', '-'],
      BLT
    )
    assert.equal(code, 0, stderr)
    assert.include(stdout, 'irv: 10 ballots')
    assert.match(stdout, /round\s+status\s+method\s+selected/)
    assert.include(stdout, 'winners: Ann Smith')
  })

  test('BLT errors name the line: {0}')
    .with([
      ['candidate out of range', '2 1\n1 1 3 0\n0\n"A"\n"B"\n"T"\n', 'line 2: unknown candidate 3'],
      ['missing names', '2 1\n1 1 0\n0\n"A"\n', 'expected the name of candidate 2'],
      [
        'duplicate in a ranking',
        '2 1\n1 1 1 0\n0\n"A"\n"B"\n"T"\n',
        'line 2: duplicate candidate 1',
      ],
      [
        'non-STV method',
        '2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n',
        'BLT input can only be counted with an STV-family method',
      ],
    ] as Array<[string, string, string]>)
    .run(({ assert }, [why, blt, message]) => {
      const args =
        why === 'non-STV method'
          ? ['--method', 'schulze', file('x.blt', blt)]
          : [file('x.blt', blt)]
      const { code, stderr } = cli(args)
      assert.equal(code, 2)
      assert.include(stderr, message)
    })
    .timeout(30_000)

  test('equal BLT names fall back to candidate numbers', ({ assert }) => {
    const { stdout } = cli([file('dup.blt', '3 1\n2 1 2 0\n1 3 0\n0\n"X"\n"X"\n"Y"\n"T"\n')])
    assert.sameMembers(JSON.parse(stdout).candidates, [1, 2, 3])
  })

  test('--method is refused for JSON input', ({ assert }) => {
    const { code, stderr } = cli(['--method', 'irv', '-'], '{}')
    assert.equal(code, 2)
    assert.include(stderr, '--method applies to BLT input only')
  })
})
