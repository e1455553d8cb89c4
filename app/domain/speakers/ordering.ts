/**
 * The queue ordering algorithm (domain §12.4) with the point-of-order queue
 * (api.md §11.4, beyond.md B-ADD-01). Pure: the caller passes the turns, the
 * previous order, the statistics and (for shuffle) a random source.
 *
 * Resulting order (turn ids):
 *   [current speaker, if any] + [queued points of order, in order of entry]
 *   + [safe speeches] + [method output for the other speeches]
 *
 * Orders are lists of turn ids rather than user ids: a user who is queued for
 * a speech may also raise a point of order, so a user id can appear twice.
 */
import { DomainError } from '#domain/errors'
import {
  speakerListMethods,
  type MethodSettings,
  type SpeakerListMethodName,
} from '#domain/speakers/methods'
import type { OrderingFacts, QueueEntry, RandInt } from '#domain/speakers/types'

export const MAX_SAFE_POSITIONS = 3

export interface ReorderInput {
  /** Turns that are queued or speaking (any kind). */
  entries: readonly QueueEntry[]
  /** The stored order, or the order list given to `reorder(order_list)` (turn ids). */
  previousOrder: readonly number[]
  safePositions: number
  method: SpeakerListMethodName
  settings: MethodSettings
  facts: OrderingFacts
}

/** Step 2: by index in the previous order (unknown turns last), then `created`, then id. */
export function sortByPrevious(
  entries: readonly QueueEntry[],
  previousOrder: readonly number[]
): QueueEntry[] {
  const index = new Map<number, number>()
  previousOrder.forEach((turnId, position) => {
    if (!index.has(turnId)) index.set(turnId, position)
  })
  const position = (entry: QueueEntry) => index.get(entry.turnId) ?? Number.POSITIVE_INFINITY
  return [...entries].sort((a, b) => {
    const pa = position(a)
    const pb = position(b)
    if (pa !== pb) return pa < pb ? -1 : 1
    return a.created - b.created || a.turnId - b.turnId
  })
}

/** Points of order are served in order of entry (api.md §11.4), never reordered by a method. */
export function byEntry(entries: readonly QueueEntry[]): QueueEntry[] {
  return [...entries].sort((a, b) => a.created - b.created || a.turnId - b.turnId)
}

/** Step 3: how many speeches at the head are safe (one extra when a safe one is speaking). */
export function safeCount(speeches: readonly QueueEntry[], safePositions: number): number {
  const base = Math.max(0, Math.min(safePositions, speeches.length))
  const speakingIsSafe = speeches.slice(0, base).some((entry) => entry.speaking)
  return Math.min(speeches.length, speakingIsSafe ? base + 1 : base)
}

function assertOneSpeaker(entries: readonly QueueEntry[]) {
  if (entries.filter((entry) => entry.speaking).length > 1) {
    throw new DomainError('speaker.several_speaking', 'A list can only have one current speaker')
  }
}

function assertPermutation(
  input: readonly QueueEntry[],
  output: readonly QueueEntry[],
  method: string
) {
  const ids = new Set(input.map((entry) => entry.turnId))
  if (output.length !== input.length || !output.every((entry) => ids.delete(entry.turnId))) {
    throw new Error(`speaker list method ${method} did not return a permutation of its input`)
  }
}

/** The full reorder of domain §12.4 plus the point-of-order rule; returns turn ids. */
export function reorder(input: ReorderInput): number[] {
  assertOneSpeaker(input.entries)
  const sorted = sortByPrevious(input.entries, input.previousOrder)
  const speaking = sorted.find((entry) => entry.speaking) ?? null
  const points = byEntry(
    sorted.filter((entry) => entry.kind === 'point_of_order' && !entry.speaking)
  )
  const speeches = sorted.filter((entry) => entry.kind === 'speech')

  const safe = safeCount(speeches, input.safePositions)
  const safeEntries = speeches.slice(0, safe)
  const rest = speeches.slice(safe)
  const method = speakerListMethods[input.method]
  const ordered = method.order(rest, input.settings, {
    facts: input.facts,
    lastSafe: safeEntries.at(-1) ?? null,
  })
  assertPermutation(rest, ordered, input.method)

  const tail = [...safeEntries, ...ordered].filter((entry) => !entry.speaking)
  return [...(speaking ? [speaking] : []), ...points, ...tail].map((entry) => entry.turnId)
}

/** Step 5: save only when the order changed. */
export function orderChanged(before: readonly number[], after: readonly number[]): boolean {
  return before.length !== after.length || before.some((id, index) => id !== after[index])
}

/** Fisher–Yates from the end, with an injected random source. Returns a copy. */
export function shuffled<T>(list: readonly T[], randInt: RandInt): T[] {
  const out = list.slice()
  for (let i = out.length - 1; i >= 1; i--) {
    const j = randInt(i + 1)
    if (!Number.isInteger(j) || j < 0 || j > i)
      throw new RangeError(`randInt(${i + 1}) returned ${j}`)
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}

/**
 * Shuffle (domain §12.4): refused while someone is speaking (422
 * speaker.someone_speaking); the safe speeches stay where they are (they are
 * "never moved"), the other speeches are randomised, then the method is
 * re-applied (a `simple` list keeps the random order).
 */
export function shuffleQueue(
  input: Omit<ReorderInput, 'previousOrder'> & { order: readonly number[]; randInt: RandInt }
) {
  if (input.entries.some((entry) => entry.speaking)) {
    throw new DomainError('speaker.someone_speaking', 'Cannot shuffle while someone is speaking')
  }
  const sorted = sortByPrevious(input.entries, input.order)
  const points = byEntry(sorted.filter((entry) => entry.kind === 'point_of_order'))
  const speeches = sorted.filter((entry) => entry.kind === 'speech')
  const safe = safeCount(speeches, input.safePositions)
  const given = [
    ...points.map((entry) => entry.turnId),
    ...speeches.slice(0, safe).map((entry) => entry.turnId),
    ...shuffled(
      speeches.slice(safe).map((entry) => entry.turnId),
      input.randInt
    ),
  ]
  return reorder({ ...input, previousOrder: given })
}

/** The turn that "start next" takes: the first queued (not speaking) turn in order. */
export function nextInOrder(
  order: readonly number[],
  entries: readonly QueueEntry[]
): QueueEntry | null {
  const byId = new Map(entries.map((entry) => [entry.turnId, entry]))
  for (const turnId of order) {
    const entry = byId.get(turnId)
    if (entry && !entry.speaking) return entry
  }
  return null
}
