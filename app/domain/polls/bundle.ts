/**
 * Signed, recountable result bundles (beyond.md B-NEW-01, api.md §11.3).
 * The signature covers the RFC 8785 canonical JSON of the bundle without
 * `signature`; anyone can recount `count_document` and compare with `result`.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import canonicalize from 'canonicalize'
import { count, toStoredResult, type CountDocument } from '#domain/polls/counting/index'
import { applyThresholds, type MajorityRule, type QuorumRule } from '#domain/polls/thresholds'
import type { ReceiptMode } from '#domain/polls/receipts'

export const BUNDLE_FORMAT = 'voteit-result-bundle/1'

export interface ResultBundle {
  format: typeof BUNDLE_FORMAT
  organisation: { id: number; title: string; host: string | null }
  meeting: { id: number; title: string }
  poll: {
    id: number
    title: string
    method_name: string
    settings: Record<string, unknown> | null
    proposals: Array<{ id: number; prop_id: string | null; title: string }>
    secret: boolean
    /** Absent in bundles made before receipt modes existed (they were `content`). */
    receipt_mode?: ReceiptMode
    quorum: QuorumRule | null
    majority: MajorityRule | null
    started: string | null
    closed: string | null
  }
  /** Totals of the frozen register, and who took part (heads and weight). */
  register: { voters: number; total_weight: number; turnout_voters: number; turnout_weight: number }
  count_document: CountDocument
  result: Record<string, unknown>
  ballot_checksum_sha512: string
  /** Every counted ballot's receipt hash, sorted, in both receipt modes. */
  receipt_hashes: string[]
  signed_at: string
  public_key: string
  signature: string
}

export type UnsignedBundle = Omit<ResultBundle, 'signature' | 'public_key'>

/** Raw 32-byte Ed25519 public key, base64 (api.md §11.3). */
export function rawPublicKey(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' })
  return der.subarray(der.length - 32).toString('base64')
}

/** Rebuilds a KeyObject from the raw base64 form. */
export function publicKeyFromRaw(raw: string): KeyObject {
  const key = Buffer.from(raw, 'base64')
  if (key.length !== 32) throw new Error('An Ed25519 public key has 32 bytes')
  const prefix = Buffer.from('302a300506032b6570032100', 'hex') // SPKI header of Ed25519
  return createPublicKey({ key: Buffer.concat([prefix, key]), format: 'der', type: 'spki' })
}

export function keyFingerprint(raw: string): string {
  return createHash('sha256').update(Buffer.from(raw, 'base64')).digest('hex').slice(0, 32)
}

function signedBytes(bundle: Omit<ResultBundle, 'signature'>): Buffer {
  return Buffer.from(canonicalize(bundle) ?? '', 'utf8')
}

export function signBundle(
  unsigned: UnsignedBundle,
  privateKey: KeyObject,
  publicKey: KeyObject
): ResultBundle {
  const withKey = { ...unsigned, public_key: rawPublicKey(publicKey) }
  const signature = sign(null, signedBytes(withKey), privateKey).toString('base64')
  return { ...withKey, signature }
}

/** The parts of a stored result that a recount must reproduce exactly. */
const ignoredResultKeys = new Set(['runtime'])

function comparable(result: Record<string, unknown>) {
  return canonicalize(
    Object.fromEntries(Object.entries(result).filter(([key]) => !ignoredResultKeys.has(key)))
  )
}

/** Recounts the bundle's count document the way closing a poll does (count, stored shape, thresholds). */
export function recountBundle(bundle: Pick<ResultBundle, 'count_document' | 'poll' | 'register'>) {
  const counted = count(bundle.count_document)
  const stored = toStoredResult(counted, 0)
  const thresholds = applyThresholds({
    result: counted,
    abstains: bundle.count_document.abstentions ?? 0,
    quorum: bundle.poll.quorum,
    majority: bundle.poll.majority,
    register: { voters: bundle.register.voters, totalWeight: bundle.register.total_weight },
    turnout: { voters: bundle.register.turnout_voters, weight: bundle.register.turnout_weight },
  })
  return {
    checksum: counted.ballot_checksum_sha512,
    result: {
      ...stored,
      approved: thresholds.approved,
      denied: thresholds.denied,
      quorum_met: thresholds.quorum_met,
      majority_met: thresholds.majority_met,
    } as Record<string, unknown>,
  }
}

export interface VerifyOutcome {
  signatureValid: boolean
  checksumMatches: boolean
  resultMatches: boolean
  problems: string[]
}

/**
 * Checks the signature (against `expectedPublicKey` when given, else the key
 * in the bundle), recounts, and compares checksum and result.
 */
export function verifyBundle(bundle: ResultBundle, expectedPublicKey?: string): VerifyOutcome {
  const problems: string[] = []
  const keyRaw = expectedPublicKey ?? bundle.public_key
  let signatureValid = false
  if (expectedPublicKey && expectedPublicKey !== bundle.public_key) {
    problems.push('signature: the bundle names another public key than the one expected')
  } else {
    try {
      const { signature, ...unsigned } = bundle
      signatureValid = verify(
        null,
        signedBytes(unsigned),
        publicKeyFromRaw(keyRaw),
        Buffer.from(signature, 'base64')
      )
    } catch {
      signatureValid = false
    }
    if (!signatureValid) problems.push('signature: does not match the bundle content')
  }

  const recount = recountBundle(bundle)
  const checksumMatches = recount.checksum === bundle.ballot_checksum_sha512
  if (!checksumMatches) problems.push('checksum: the ballots do not hash to ballot_checksum_sha512')
  const resultMatches = comparable(recount.result) === comparable(bundle.result)
  if (!resultMatches) problems.push('result: a recount gives a different result')
  return { signatureValid, checksumMatches, resultMatches, problems }
}
