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
}

type Sink = (messages: OutgoingMessage[]) => void | Promise<void>

const sinks: Sink[] = []

/** The realtime transport registers itself here (start/transmit.ts); tests may register a capture. */
export function registerSink(sink: Sink): () => void {
  sinks.push(sink)
  return () => sinks.splice(sinks.indexOf(sink), 1)
}

/**
 * Queue messages to go out only if and when the transaction commits
 * (never for a rolled-back change). Actions call this inside their transaction.
 */
export function publishAfterCommit(trx: TransactionClientContract, messages: OutgoingMessage[]) {
  if (messages.length === 0) return
  trx.after('commit', async () => {
    for (const sink of sinks) await sink(messages)
  })
}
