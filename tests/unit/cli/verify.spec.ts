import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  BUNDLE_FORMAT,
  rawPublicKey,
  recountBundle,
  signBundle,
  type ResultBundle,
} from '#domain/polls/bundle'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const NODE = join(ROOT, 'node_modules/.bin/node')
const scratch = mkdtempSync(join(tmpdir(), 'verify-cli-'))

function cli(args: string[]) {
  const run = spawnSync(NODE, ['--import=@poppinss/ts-exec', 'bin/count.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

function write(name: string, content: unknown) {
  const path = join(scratch, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519')

function bundle(): ResultBundle {
  const countDocument = {
    method: 'schulze' as const,
    settings: { stars: 5 },
    candidates: [1, 2, 3],
    ballots: [
      {
        ranking: [
          [1, 5],
          [2, 3],
          [3, 0],
        ],
        count: 4,
      },
      {
        ranking: [
          [2, 5],
          [3, 4],
          [1, 0],
        ],
        count: 3,
      },
    ],
    seed: 'cli-test',
  }
  const poll = {
    id: 9,
    title: 'Pick',
    method_name: 'schulze',
    settings: { stars: 5 },
    proposals: [1, 2, 3].map((id) => ({ id, prop_id: `x-${id}`, title: `X${id}` })),
    secret: false,
    quorum: null,
    majority: null,
    started: null,
    closed: null,
  }
  const register = { voters: 7, total_weight: 7, turnout_voters: 7, turnout_weight: 7 }
  const recount = recountBundle({ count_document: countDocument, poll, register })
  return signBundle(
    {
      format: BUNDLE_FORMAT,
      organisation: { id: 1, title: 'Org', host: null },
      meeting: { id: 2, title: 'M' },
      poll,
      register,
      count_document: countDocument,
      result: recount.result,
      ballot_checksum_sha512: recount.checksum,
      receipt_hashes: [],
      signed_at: '2026-01-01T00:00:00.000Z',
    },
    privateKey,
    publicKey
  )
}

test.group('CLI | count --verify (poll-methods §9.5, api.md §11.3)', () => {
  test('a genuine bundle verifies: exit 0 and one JSON line', ({ assert }) => {
    const run = cli(['--verify', write('good.json', bundle())])
    assert.equal(run.code, 0, run.stderr)
    assert.deepInclude(JSON.parse(run.stdout), {
      poll: 9,
      signature_valid: true,
      checksum_matches: true,
      result_matches: true,
    })
    const pinned = cli([
      '--verify',
      '--public-key',
      rawPublicKey(publicKey),
      write('good2.json', bundle()),
    ])
    assert.equal(pinned.code, 0, pinned.stderr)
  })

  test('a tampered bundle exits 1 and names what failed', ({ assert }) => {
    const tampered = bundle()
    tampered.count_document.ballots[0].count = 40
    const run = cli(['--verify', write('bad.json', tampered)])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /signature: does not match/)
    assert.match(run.stderr, /checksum:/)
    assert.match(run.stderr, /result: a recount gives a different result/)
  })

  test('a bundle signed by another key than the expected one exits 1', ({ assert }) => {
    const other = generateKeyPairSync('ed25519')
    const run = cli([
      '--verify',
      '--public-key',
      rawPublicKey(other.publicKey),
      write('other.json', bundle()),
    ])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /another public key/)
  })

  test('unreadable input exits 2 with one line', ({ assert }) => {
    for (const [name, content] of [
      ['garbage.json', '{nope'],
      ['plain.json', { method: 'simple' }],
    ] as const) {
      const run = cli(['--verify', write(name, content)])
      assert.equal(run.code, 2)
      assert.lengthOf(run.stderr.trim().split('\n'), 1)
      assert.notMatch(run.stderr, /^\s+at .+:\d+:\d+\)?$/m) // no stack trace
    }
  })
})
