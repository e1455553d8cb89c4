/**
 * Plain shapes shared by the speaker-queue domain code (domain §12, beyond.md
 * B-ADD-01..03, api.md §11.4). Framework-free: timestamps are milliseconds
 * since the epoch passed in by the caller, never read from a clock here.
 */

/** Turn kinds (api.md §11.4): a normal speech, or a point of order that jumps the list. */
export const turnKinds = ['speech', 'point_of_order'] as const
export type TurnKind = (typeof turnKinds)[number]

/** A turn that is queued or currently speaking (finished turns are history, not queue). */
export interface QueueEntry {
  /** Turn (Speaker row) id. */
  turnId: number
  userId: number
  kind: TurnKind
  /** Point-of-order category, null for speeches. */
  category: string | null
  /** Creation time (ms): the tie-breaker of domain §12.4 step 2. */
  created: number
  /** True for the one turn that has `started` set and no `seconds`. */
  speaking: boolean
}

/** Per-user statistics the fairness methods read. Missing users count as 0 / untagged. */
export interface OrderingFacts {
  /** Finished speech turns of the user on this list (domain §12.4 `priority`). */
  finishedTurns: ReadonlyMap<number, number>
  /** Seconds spoken in the method's scope (list, agenda item or meeting; `time_fair`). */
  secondsSpoken: ReadonlyMap<number, number>
  /** Values of the `gen` participant-tag namespace per user (`gender_prio`). */
  genders: ReadonlyMap<number, readonly string[]>
}

export const emptyFacts: OrderingFacts = {
  finishedTurns: new Map(),
  secondsSpoken: new Map(),
  genders: new Map(),
}

/** A source of uniform integers in [0, k); injected so shuffling is testable. */
export type RandInt = (k: number) => number
