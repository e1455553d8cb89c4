import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * One realtime message to publish (api.md §7.3 without the envelope fields
 * that the transport adds: epoch, seq, ts).
 */
export interface OutgoingMessage {
  channel: string
  /** `<content type>.<verb>`, e.g. `meeting.changed`, `agenda_item.deleted` (api.md §8). */
  type: string
  data: unknown
  /** X-Request-Id of the REST call that caused it. */
  rid?: string | null
  /** For assistive technology (api.md §7.3, beyond.md B-NEW-05): a message key and its parameters. */
  announce?: Announce
}

/** What a client turns into localised text for an aria-live region: `{key, params}`. */
export interface Announce {
  key: string
  params: Record<string, string | number | null>
}

type Sink = (messages: OutgoingMessage[]) => void | Promise<void>

const sinks: Sink[] = []

/** The realtime transport registers itself here (start/transmit.ts); tests may register a capture. */
export function registerSink(sink: Sink): () => void {
  sinks.push(sink)
  return () => {
    const index = sinks.indexOf(sink)
    if (index >= 0) sinks.splice(index, 1)
  }
}

/** Messages queued per transaction, handed to the sinks together on commit (batching needs them all). */
const queued = new WeakMap<TransactionClientContract, OutgoingMessage[]>()

/**
 * Queue messages to go out only if and when the transaction commits
 * (never for a rolled-back change). Actions call this inside their transaction,
 * as often as they like: all messages of one transaction reach the sinks in
 * one call, in the order they were queued (api.md §7.8 batches them).
 * Pass the outermost transaction: a savepoint's commit is not the real one.
 */
export function publishAfterCommit(trx: TransactionClientContract, messages: OutgoingMessage[]) {
  if (messages.length === 0) return
  const existing = queued.get(trx)
  if (existing) {
    existing.push(...messages)
    return
  }
  const list = [...messages]
  queued.set(trx, list)
  trx.after('commit', async () => {
    queued.delete(trx)
    await deliver(list)
  })
  trx.after('rollback', async () => {
    queued.delete(trx)
  })
}

/**
 * Publish without a transaction: for messages that are not the result of a
 * database change (throttled `poll.status`, notices, revocations).
 */
export async function publishNow(messages: OutgoingMessage[]) {
  if (messages.length === 0) return
  await deliver(messages)
}

/** Deliveries still on their way (hooks after commit are not awaited by the caller). */
const inFlight = new Set<Promise<void>>()

/**
 * Waits for every delivery in flight. Called when the app terminates, so an
 * Ace command does not close its Redis connection under a publish it made.
 */
export async function settlePublishing() {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight])
}

function deliver(messages: OutgoingMessage[]): Promise<void> {
  const delivery = deliverToSinks(messages).finally(() => inFlight.delete(delivery))
  inFlight.add(delivery)
  return delivery
}

async function deliverToSinks(messages: OutgoingMessage[]) {
  for (const sink of [...sinks]) {
    try {
      await sink(messages)
    } catch {
      // A failing sink must not fail the request whose change is already committed.
    }
  }
}
