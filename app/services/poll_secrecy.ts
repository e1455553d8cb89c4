import {
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  randomInt,
  type KeyObject,
} from 'node:crypto'
import env from '#start/env'

/**
 * Voter references and receipts (beyond.md B-ADD-06, B-NEW-02).
 *
 * Secret polls: a vote row names its voter only through
 * HMAC-SHA256(pollKey, user id), where pollKey = HMAC-SHA256(APP_KEY,
 * "poll-voter-key:<poll id>:<salt>") and the random salt lives on the poll
 * row until close. The APP_KEY is outside the database; at close the salt is
 * deleted (and the vote rows with it), so the key cannot be rebuilt and the
 * stored ballots cannot be linked to voters any more. docs/polls.md states
 * the limits honestly.
 */
export function newVoterKeySalt(): string {
  return randomBytes(32).toString('hex')
}

function pollKey(pollId: number, salt: string): KeyObject {
  return createSecretKey(
    createHmac('sha256', env.get('APP_KEY').release())
      .update(`poll-voter-key:${pollId}:${salt}`)
      .digest()
  )
}

/** The last derived keys: every vote of an ongoing poll needs its poll's key. */
const pollKeys = new Map<string, KeyObject>()

function cachedPollKey(pollId: number, salt: string): KeyObject {
  const cacheKey = `${pollId}:${salt}`
  let key = pollKeys.get(cacheKey)
  if (!key) {
    key = pollKey(pollId, salt)
    if (pollKeys.size >= 100) pollKeys.delete(pollKeys.keys().next().value!)
    pollKeys.set(cacheKey, key)
  }
  return key
}

/** At close, the key goes with its salt: nothing in this process can derive it afterwards. */
export function forgetPollKey(pollId: number) {
  for (const cacheKey of [...pollKeys.keys()])
    if (cacheKey.startsWith(`${pollId}:`)) pollKeys.delete(cacheKey)
}

/** A function user id → voter_ref for one poll (the key is derived once). */
export function voterRefs(poll: {
  id: number
  secret: boolean
  voterKeySalt: string | null
}): (userId: number) => string {
  if (!poll.secret) return (userId) => `u${userId}`
  if (!poll.voterKeySalt) throw new Error(`Poll ${poll.id} has no voter key (closed?)`)
  const key = cachedPollKey(poll.id, poll.voterKeySalt)
  return (userId) => createHmac('sha256', key).update(String(userId)).digest('hex')
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A 16-character Crockford base32 receipt code (api.md §11.2): 80 random bits, 5 per character. */
export function newReceiptCode(): string {
  const bytes = randomBytes(10)
  let code = ''
  let bits = 0
  let buffer = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      code += CROCKFORD[(buffer >> bits) & 31]
    }
    buffer &= (1 << bits) - 1
  }
  return code
}

/** What the server stores: hex SHA-256 of the code (normalised to upper case, Crockford aliases). */
export function receiptHash(code: string): string {
  const normal = code.toUpperCase().replace(/[-\s]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return createHash('sha256').update(normal, 'utf8').digest('hex')
}

/** Fisher–Yates with a CSPRNG: the stored ballot order carries no information. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}
