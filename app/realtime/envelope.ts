import type { Announce, OutgoingMessage } from '#realtime/publish'

/**
 * The message envelope of api.md §7.3 and the batching rule of §7.8.
 * Framework-free so that it can be unit-tested on its own.
 */
export interface Envelope {
  v: 1
  type: string
  channel: string
  epoch: string
  /** Null only for out-of-band `system.closing` frames (never stored, never replayed). */
  seq: number | null
  ts: string
  rid: string | null
  data?: unknown
  items?: unknown[]
  announce?: Announce
}

/** One message of a channel before the store assigns epoch and seq. */
export interface PendingMessage {
  type: string
  rid: string | null
  data?: unknown
  items?: unknown[]
  announce?: Announce
}

/** Below this many same-type messages to one channel in one transaction, messages go out one by one. */
export const BATCH_THRESHOLD = 3

/**
 * Groups one transaction's messages per channel, in publication order, and
 * collapses 3 or more messages of the same type to the same channel into one
 * `<type>.batch` at the position of its first item ("first-added group
 * first", api.md §7.8). Channels keep the order of their first message.
 * A message with an `announce` is never folded into a batch (a batch has no
 * place for it).
 */
export function batchByChannel(
  messages: readonly OutgoingMessage[]
): Map<string, PendingMessage[]> {
  const counts = new Map<string, number>()
  for (const message of messages) {
    if (message.announce) continue
    const key = `${message.channel}\u0000${message.type}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const batches = new Map<string, PendingMessage>()
  const result = new Map<string, PendingMessage[]>()
  for (const message of messages) {
    const key = `${message.channel}\u0000${message.type}`
    let list = result.get(message.channel)
    if (!list) result.set(message.channel, (list = []))
    if (message.announce) {
      list.push({
        type: message.type,
        rid: message.rid ?? null,
        data: message.data,
        announce: message.announce,
      })
      continue
    }
    if ((counts.get(key) ?? 0) < BATCH_THRESHOLD) {
      list.push({ type: message.type, rid: message.rid ?? null, data: message.data })
      continue
    }
    const batch = batches.get(key)
    if (batch) {
      batch.items!.push(message.data)
      continue
    }
    const created: PendingMessage = {
      type: `${message.type}.batch`,
      rid: message.rid ?? null,
      items: [message.data],
    }
    batches.set(key, created)
    list.push(created)
  }
  return result
}

/**
 * The part of the envelope JSON after `{"v":1,"epoch":…,"seq":…,` — built once
 * per channel message, so that the store only prepends epoch and seq and the
 * payload is serialised once, never once per recipient (api.md §7.11).
 */
export function envelopeTail(channel: string, message: PendingMessage, ts: string): string {
  const body: Record<string, unknown> =
    message.items !== undefined
      ? { type: message.type, channel, ts, rid: message.rid, items: message.items }
      : { type: message.type, channel, ts, rid: message.rid, data: message.data ?? null }
  if (message.announce) body.announce = message.announce
  return JSON.stringify(body).slice(1)
}

export function envelopeJson(epoch: string, seq: number, tail: string): string {
  return `{"v":1,"epoch":${JSON.stringify(epoch)},"seq":${seq},${tail}`
}

/** The SSE `data` of one event: `{channel, payload}` (api.md §7.1). */
export function frameJson(channel: string, envelope: string): string {
  return `{"channel":${JSON.stringify(channel)},"payload":${envelope}}`
}
