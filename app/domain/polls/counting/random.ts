/**
 * Seeded deterministic generator (poll-methods spec, section 8.2).
 *
 * stream  = SHA-256(utf8(seed) ‖ uint32_be(0)) ‖ SHA-256(utf8(seed) ‖ uint32_be(1)) ‖ …
 * nextU32 = next 4 bytes of the stream, big-endian
 * randInt(k) rejection-samples so every residue is equally likely.
 * shuffle is Fisher–Yates from the end.
 */
import { createHash, randomBytes } from 'node:crypto'

const TWO_32 = 0x1_0000_0000

export class SeededRandom {
  readonly seed: string
  readonly #seedBytes: Buffer
  #block: Buffer = Buffer.alloc(0)
  #offset = 0
  #counter = 0

  constructor(seed: string) {
    this.seed = seed
    this.#seedBytes = Buffer.from(seed, 'utf8')
  }

  nextU32(): number {
    if (this.#offset + 4 > this.#block.length) {
      // 32-byte blocks are a multiple of 4, so a value never straddles two blocks.
      const counter = Buffer.alloc(4)
      counter.writeUInt32BE(this.#counter >>> 0, 0)
      this.#counter += 1
      this.#block = createHash('sha256').update(this.#seedBytes).update(counter).digest()
      this.#offset = 0
    }
    const value = this.#block.readUInt32BE(this.#offset)
    this.#offset += 4
    return value
  }

  /** Uniform integer r with 0 ≤ r < k. */
  randInt(k: number): number {
    if (!Number.isSafeInteger(k) || k < 1 || k > TWO_32) {
      throw new RangeError(`randInt: k must be an integer in [1, 2^32], got ${k}`)
    }
    const limit = TWO_32 - (TWO_32 % k)
    for (;;) {
      const u = this.nextU32()
      if (u < limit) return u % k
    }
  }

  /** Returns a shuffled copy; the input is not modified. */
  shuffle<T>(list: readonly T[]): T[] {
    const a = list.slice()
    for (let i = a.length - 1; i >= 1; i--) {
      const j = this.randInt(i + 1)
      const tmp = a[i] as T
      a[i] = a[j] as T
      a[j] = tmp
    }
    return a
  }
}

/** A fresh seed: 32 lower-case hex characters from a cryptographic source (8.2). */
export function generateSeed(): string {
  return randomBytes(16).toString('hex')
}
