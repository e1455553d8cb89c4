import { test } from '@japa/runner'
import { generateKeyPairSync } from 'node:crypto'
import {
  BUNDLE_FORMAT,
  keyFingerprint,
  rawPublicKey,
  recountBundle,
  signBundle,
  verifyBundle,
  type UnsignedBundle,
} from '#domain/polls/bundle'
import type { CountDocument } from '#domain/polls/counting/index'

function unsignedBundle(): UnsignedBundle {
  const document: CountDocument = {
    method: 'scottish_stv',
    settings: { winners: 2 },
    candidates: [3, 5, 8],
    ballots: [
      { ranking: [3, 5], count: 6 },
      { ranking: [5], count: 4 },
      { ranking: [8, 3], count: 3 },
    ],
    abstentions: 1,
    seed: 'fixed-seed',
  }
  const poll = {
    id: 42,
    title: 'Board',
    method_name: 'scottish_stv',
    settings: { winners: 2 },
    proposals: [3, 5, 8].map((id) => ({ id, prop_id: `p-${id}`, title: `P${id}` })),
    secret: true,
    quorum: null,
    majority: null,
    started: '2026-05-04T12:00:00.000Z',
    closed: '2026-05-04T12:30:00.000Z',
  }
  const register = { voters: 14, total_weight: 14, turnout_voters: 14, turnout_weight: 14 }
  const recount = recountBundle({ count_document: document, poll, register })
  return {
    format: BUNDLE_FORMAT,
    organisation: { id: 1, title: 'Org', host: 'org.test' },
    meeting: { id: 7, title: 'AGM' },
    poll,
    register,
    count_document: document,
    result: { ...recount.result, runtime: 0.004 },
    ballot_checksum_sha512: recount.checksum,
    receipt_hashes: ['aa', 'bb'],
    signed_at: '2026-05-04T12:30:01.000Z',
  }
}

test.group('Polls | signed result bundles (B-NEW-01, api.md §11.3)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')

  test('a signed bundle verifies: signature, checksum and recount', ({ assert }) => {
    const bundle = signBundle(unsignedBundle(), privateKey, publicKey)
    assert.equal(bundle.public_key, rawPublicKey(publicKey))
    assert.lengthOf(Buffer.from(bundle.public_key, 'base64'), 32)
    assert.deepEqual(verifyBundle(bundle), {
      signatureValid: true,
      checksumMatches: true,
      resultMatches: true,
      problems: [],
    })
    assert.deepEqual(verifyBundle(bundle, bundle.public_key).problems, [])
    assert.lengthOf(keyFingerprint(bundle.public_key), 32)
  })

  test('key order does not matter (canonical JSON)', ({ assert }) => {
    const bundle = signBundle(unsignedBundle(), privateKey, publicKey)
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(bundle).reverse()))
    )
    assert.isTrue(verifyBundle(reordered).signatureValid)
  })

  test('a changed ballot breaks the signature, the checksum and the result', ({ assert }) => {
    const bundle = signBundle(unsignedBundle(), privateKey, publicKey)
    bundle.count_document.ballots[1] = { ranking: [8], count: 4 }
    const outcome = verifyBundle(bundle)
    assert.isFalse(outcome.signatureValid)
    assert.isFalse(outcome.checksumMatches)
    assert.isFalse(outcome.resultMatches)
  })

  test('a re-signed bundle with a forged result is caught by the recount', ({ assert }) => {
    const forged = unsignedBundle()
    forged.result = { ...forged.result, approved: [8, 3] }
    const bundle = signBundle(forged, privateKey, publicKey)
    const outcome = verifyBundle(bundle)
    assert.isTrue(outcome.signatureValid)
    assert.isFalse(outcome.resultMatches)
  })

  test('another key than the expected one is refused', ({ assert }) => {
    const other = generateKeyPairSync('ed25519')
    const bundle = signBundle(unsignedBundle(), other.privateKey, other.publicKey)
    const outcome = verifyBundle(bundle, rawPublicKey(publicKey))
    assert.isFalse(outcome.signatureValid)
    assert.match(outcome.problems[0], /another public key/)
  })
})
