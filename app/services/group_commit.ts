/**
 * Group commit: callers submit items under a key (e.g. a poll) and get their
 * own outcome back. One flush per key runs at a time; items that arrive while
 * it runs wait and go together in the next flush. Under light load a flush
 * carries one item and nothing waits; under load one transaction carries many
 * items, so the per-transaction round trips are shared (docs/performance.md).
 *
 * Items with the same `conflictKey` never share a flush: the later one waits
 * for the next, so they apply in arrival order exactly as if sent one by one.
 */
export interface GroupCommitOptions<Item> {
  /** Items that must not be in the same flush (e.g. two votes of one voter). */
  conflictKey: (item: Item) => string | number
  /** Upper bound of items per flush. */
  maxBatch?: number
}

/** What a flush answers for each of its items, in order: an outcome or an error for that item alone. */
export type FlushResult<Outcome> = Array<
  { ok: true; value: Outcome } | { ok: false; error: unknown }
>

interface Pending<Item, Outcome> {
  item: Item
  resolve: (value: Outcome) => void
  reject: (error: unknown) => void
}

export class GroupCommit<Item, Outcome> {
  readonly #queues = new Map<string, Pending<Item, Outcome>[]>()
  readonly #maxBatch: number

  constructor(
    private readonly flush: (key: string, items: Item[]) => Promise<FlushResult<Outcome>>,
    private readonly options: GroupCommitOptions<Item>
  ) {
    this.#maxBatch = options.maxBatch ?? 256
  }

  submit(key: string, item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      const queue = this.#queues.get(key)
      if (queue) {
        queue.push({ item, resolve, reject })
        return
      }
      const fresh = [{ item, resolve, reject }]
      this.#queues.set(key, fresh)
      void this.#drain(key, fresh)
    })
  }

  async #drain(key: string, queue: Pending<Item, Outcome>[]) {
    // Starting on the next turn lets the requests already parsed join the first flush.
    await new Promise((resolve) => setImmediate(resolve))
    while (queue.length > 0) {
      const batch = this.#take(queue)
      let results: FlushResult<Outcome>
      try {
        results = await this.flush(
          key,
          batch.map((pending) => pending.item)
        )
      } catch (error) {
        for (const pending of batch) pending.reject(error)
        continue
      }
      batch.forEach((pending, index) => {
        const result = results[index]
        if (result?.ok) pending.resolve(result.value)
        else pending.reject(result ? result.error : new Error('group commit: no result'))
      })
    }
    this.#queues.delete(key)
  }

  /** The next flush: up to maxBatch items in arrival order, at most one per conflict key. */
  #take(queue: Pending<Item, Outcome>[]) {
    const batch: Pending<Item, Outcome>[] = []
    const seen = new Set<string | number>()
    let index = 0
    while (index < queue.length && batch.length < this.#maxBatch) {
      const conflict = this.options.conflictKey(queue[index].item)
      if (seen.has(conflict)) {
        index++
        continue
      }
      seen.add(conflict)
      batch.push(queue[index])
      queue.splice(index, 1)
    }
    return batch
  }
}
