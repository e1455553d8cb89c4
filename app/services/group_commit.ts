/**
 * Group commit: callers submit items under a key (e.g. a poll) and get their
 * own outcome back. Up to `concurrency` flushes per key run at a time; items
 * that arrive meanwhile wait and go together in the next flush. Under light
 * load a flush carries one item and nothing waits; under load one transaction
 * carries many items, so the per-transaction round trips and the commit's
 * disk flush are shared (docs/performance.md).
 *
 * Items with the same `conflictKey` are never in flushes that run at the same
 * time: the later one waits for the earlier one's flush to end, so they apply
 * in arrival order exactly as if sent one by one.
 */
export interface GroupCommitOptions<Item> {
  /** Items that must not be in flight together (e.g. two votes of one voter). */
  conflictKey: (item: Item) => string | number
  /** Upper bound of items per flush. */
  maxBatch?: number
  /** Flushes of one key that may run at the same time (each has its own transaction). */
  concurrency?: number
}

/** What a flush answers for each of its items, in order: an outcome or an error for that item alone. */
export type FlushResult<Outcome> = Array<
  { ok: true; value: Outcome } | { ok: false; error: unknown }
>

interface Pending<Item, Outcome> {
  item: Item
  conflict: string | number
  resolve: (value: Outcome) => void
  reject: (error: unknown) => void
}

interface KeyState<Item, Outcome> {
  queue: Pending<Item, Outcome>[]
  running: number
  /** Conflict keys of the items in running flushes. */
  inFlight: Set<string | number>
  scheduled: boolean
}

export class GroupCommit<Item, Outcome> {
  readonly #keys = new Map<string, KeyState<Item, Outcome>>()
  readonly #maxBatch: number
  readonly #concurrency: number

  constructor(
    private readonly flush: (key: string, items: Item[]) => Promise<FlushResult<Outcome>>,
    private readonly options: GroupCommitOptions<Item>
  ) {
    this.#maxBatch = options.maxBatch ?? 256
    this.#concurrency = options.concurrency ?? 1
  }

  submit(key: string, item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      let state = this.#keys.get(key)
      if (!state) {
        state = { queue: [], running: 0, inFlight: new Set(), scheduled: false }
        this.#keys.set(key, state)
      }
      state.queue.push({ item, conflict: this.options.conflictKey(item), resolve, reject })
      this.#schedule(key, state)
    })
  }

  /** Starts a flush on the next turn, so that the requests already parsed join it. */
  #schedule(key: string, state: KeyState<Item, Outcome>) {
    if (state.scheduled || state.running >= this.#concurrency) return
    state.scheduled = true
    setImmediate(() => {
      state.scheduled = false
      void this.#run(key, state)
    })
  }

  async #run(key: string, state: KeyState<Item, Outcome>) {
    const batch = this.#take(state)
    if (batch.length === 0) {
      if (state.running === 0 && state.queue.length === 0) this.#keys.delete(key)
      return
    }
    state.running++
    for (const pending of batch) state.inFlight.add(pending.conflict)
    let results: FlushResult<Outcome> | undefined
    let failure: unknown
    try {
      results = await this.flush(
        key,
        batch.map((pending) => pending.item)
      )
    } catch (error) {
      failure = error
    }
    for (const pending of batch) state.inFlight.delete(pending.conflict)
    state.running--
    batch.forEach((pending, index) => {
      const result = results?.[index]
      if (result?.ok) pending.resolve(result.value)
      else if (result) pending.reject(result.error)
      else pending.reject(failure ?? new Error('group commit: no result'))
    })
    if (state.queue.length > 0) this.#schedule(key, state)
    else if (state.running === 0) this.#keys.delete(key)
  }

  /** The next flush: up to maxBatch items in arrival order, one per conflict key, none in flight. */
  #take(state: KeyState<Item, Outcome>) {
    const batch: Pending<Item, Outcome>[] = []
    const taken = new Set<string | number>()
    const waiting: Pending<Item, Outcome>[] = []
    for (const pending of state.queue) {
      const blocked =
        batch.length >= this.#maxBatch ||
        taken.has(pending.conflict) ||
        state.inFlight.has(pending.conflict)
      // Once an item of a voter waits, that voter's later items wait too (arrival order).
      if (blocked) {
        taken.add(pending.conflict)
        waiting.push(pending)
      } else {
        taken.add(pending.conflict)
        batch.push(pending)
      }
    }
    state.queue = waiting
    return batch
  }
}
