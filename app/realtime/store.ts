import { randomBytes } from 'node:crypto'
import { envelopeJson } from '#realtime/envelope'

/**
 * Where sequence numbers, epochs and the replay log live (api.md §7.6, §7.10),
 * plus the few shared facts the realtime layer needs across instances (stream
 * owners, stream tickets, throttle slots). Two implementations: in memory for
 * a single instance, Redis for several (app/realtime/redis_store.ts).
 *
 * `append` assigns consecutive `seq` numbers to a channel's messages and hands
 * them, in that order, to every instance's `onEnvelopes` handler: seq
 * assignment and publication form one critical section per channel (§7.7).
 */
export interface ReplayOptions {
  /** Messages younger than this are always kept (REALTIME_REPLAY_SECONDS, default 600). */
  retentionMs: number
  /** The last this many messages are always kept (REALTIME_REPLAY_MESSAGES, default 1000). */
  keepMessages: number
  /** Hard cap per channel so that a burst cannot exhaust memory (10 × keepMessages). */
  hardCap: number
  /** An idle channel's sequence store is dropped after this long; it then starts a new epoch. */
  channelTtlSeconds: number
}

export const defaultReplayOptions: ReplayOptions = {
  retentionMs: 600_000,
  keepMessages: 1000,
  hardCap: 10_000,
  channelTtlSeconds: 86_400,
}

export interface Cursor {
  epoch: string
  seq: number
}

export interface AppendResult extends Cursor {
  /** seq of the first appended message */
  first: number
  envelopes: string[]
}

/** Internal messages between instances (revocation, closing streams, remote subscribe). */
export type ControlMessage =
  | { op: 'revalidate_user'; id: string; userId: number }
  | { op: 'revalidate_channel'; id: string; channel: string }
  | { op: 'close'; id: string; code: number; userId?: number; authRef?: string; uid?: string }
  | { op: 'subscribe'; id: string; uid: string; channel: string; userId: number; from: string }
  | { op: 'unsubscribe'; id: string; uid: string; channel: string; userId: number; from: string }
  | { op: 'ack'; id: string; to: string; ok: boolean }

export interface StoreHandlers {
  envelopes(channel: string, envelopes: string[]): void
  control(message: ControlMessage): void
}

export interface StreamOwner {
  userId: number
  instance: string
}

export interface RealtimeStore {
  readonly kind: 'memory' | 'redis'
  /** `tails` from `envelopeTail`; returns the full envelopes in seq order. */
  append(channel: string, tails: string[], nowMs: number): Promise<AppendResult>
  /** The channel's current epoch and seq (creating the channel's store if needed). */
  cursor(channel: string): Promise<Cursor>
  /** Envelopes with seq > after, or null when that range is no longer available or the epoch differs. */
  replay(channel: string, epoch: string, after: number): Promise<string[] | null>
  publishControl(message: ControlMessage): Promise<void>
  /** Starts delivering published envelopes and control messages to this instance. */
  listen(handlers: StoreHandlers): Promise<void>

  putTicket(ticket: string, value: string, ttlSeconds: number): Promise<void>
  /** Returns and deletes the ticket (single use). */
  takeTicket(ticket: string): Promise<string | null>

  /** Records the owner of a stream uid unless another user owns it; returns the owner in force. */
  claimStream(uid: string, owner: StreamOwner): Promise<StreamOwner>
  streamOwner(uid: string): Promise<StreamOwner | null>
  releaseStream(uid: string, instance: string): Promise<void>

  /** 0 when the slot was free and is now held for `ms`; else the milliseconds until it frees. */
  acquireSlot(key: string, ms: number): Promise<number>
  setFlag(key: string, ttlMs: number): Promise<void>
  /** True (and clears it) when the flag was set. */
  takeFlag(key: string): Promise<boolean>
  /** True the first time a key is seen within ttlMs (cross-instance de-duplication). */
  once(key: string, ttlMs: number): Promise<boolean>

  close(): Promise<void>
}

export const newEpoch = () => randomBytes(6).toString('hex')

interface MemoryChannel {
  epoch: string
  seq: number
  log: Array<{ ts: number; seq: number; envelope: string }>
  touched: number
}

/**
 * Single-instance store. Restarting the process starts new epochs, so clients
 * reload their snapshots (api.md §7.10).
 */
export class MemoryRealtimeStore implements RealtimeStore {
  readonly kind = 'memory' as const
  #channels = new Map<string, MemoryChannel>()
  #handlers: StoreHandlers | null = null
  #kv = new Map<string, { value: string; expires: number }>()
  #sweeper: NodeJS.Timeout

  constructor(
    readonly options: ReplayOptions = defaultReplayOptions,
    private now: () => number = Date.now
  ) {
    this.#sweeper = setInterval(() => this.sweep(), 60_000)
    this.#sweeper.unref()
  }

  #channel(name: string): MemoryChannel {
    let channel = this.#channels.get(name)
    if (channel && this.now() - channel.touched > this.options.channelTtlSeconds * 1000) {
      this.#channels.delete(name)
      channel = undefined
    }
    if (!channel) {
      channel = { epoch: newEpoch(), seq: 0, log: [], touched: this.now() }
      this.#channels.set(name, channel)
    }
    return channel
  }

  async append(name: string, tails: string[], nowMs: number): Promise<AppendResult> {
    const channel = this.#channel(name)
    channel.touched = this.now()
    const first = channel.seq + 1
    const envelopes = tails.map((tail) => {
      channel.seq += 1
      const envelope = envelopeJson(channel.epoch, channel.seq, tail)
      channel.log.push({ ts: nowMs, seq: channel.seq, envelope })
      return envelope
    })
    this.#trim(channel, nowMs)
    // Synchronous hand-over keeps per-channel order without any lock.
    this.#handlers?.envelopes(name, envelopes)
    return { epoch: channel.epoch, seq: channel.seq, first, envelopes }
  }

  #trim(channel: MemoryChannel, nowMs: number) {
    const { keepMessages, retentionMs, hardCap } = this.options
    let drop = 0
    while (
      channel.log.length - drop > keepMessages &&
      (channel.log.length - drop > hardCap || channel.log[drop].ts < nowMs - retentionMs)
    ) {
      drop++
    }
    if (drop > 0) channel.log.splice(0, drop)
  }

  async cursor(name: string): Promise<Cursor> {
    const channel = this.#channel(name)
    return { epoch: channel.epoch, seq: channel.seq }
  }

  async replay(name: string, epoch: string, after: number): Promise<string[] | null> {
    const channel = this.#channels.get(name)
    if (!channel || channel.epoch !== epoch || after > channel.seq || after < 0) return null
    this.#trim(channel, this.now())
    const firstKept = channel.log.length > 0 ? channel.log[0].seq : channel.seq + 1
    if (after + 1 < firstKept) return null
    return channel.log.slice(after + 1 - firstKept).map((entry) => entry.envelope)
  }

  async publishControl(message: ControlMessage) {
    this.#handlers?.control(message)
  }

  async listen(handlers: StoreHandlers) {
    this.#handlers = handlers
  }

  #get(key: string): string | null {
    const entry = this.#kv.get(key)
    if (!entry) return null
    if (entry.expires <= this.now()) {
      this.#kv.delete(key)
      return null
    }
    return entry.value
  }

  #set(key: string, value: string, ttlMs: number) {
    this.#kv.set(key, { value, expires: this.now() + ttlMs })
  }

  async putTicket(ticket: string, value: string, ttlSeconds: number) {
    this.#set(`ticket:${ticket}`, value, ttlSeconds * 1000)
  }

  async takeTicket(ticket: string) {
    const value = this.#get(`ticket:${ticket}`)
    this.#kv.delete(`ticket:${ticket}`)
    return value
  }

  async claimStream(uid: string, owner: StreamOwner): Promise<StreamOwner> {
    const existing = this.#get(`uid:${uid}`)
    if (existing) {
      const parsed = JSON.parse(existing) as StreamOwner
      if (parsed.userId !== owner.userId) return parsed
    }
    this.#set(`uid:${uid}`, JSON.stringify(owner), this.options.channelTtlSeconds * 1000)
    return owner
  }

  async streamOwner(uid: string) {
    const value = this.#get(`uid:${uid}`)
    return value ? (JSON.parse(value) as StreamOwner) : null
  }

  async releaseStream(uid: string, instance: string) {
    const owner = await this.streamOwner(uid)
    if (owner?.instance === instance) this.#kv.delete(`uid:${uid}`)
  }

  async acquireSlot(key: string, ms: number) {
    const entry = this.#kv.get(`slot:${key}`)
    const remaining = entry ? entry.expires - this.now() : 0
    if (remaining > 0) return remaining
    this.#set(`slot:${key}`, '1', ms)
    return 0
  }

  async setFlag(key: string, ttlMs: number) {
    this.#set(`flag:${key}`, '1', ttlMs)
  }

  async takeFlag(key: string) {
    const value = this.#get(`flag:${key}`)
    this.#kv.delete(`flag:${key}`)
    return value !== null
  }

  async once(key: string, ttlMs: number) {
    if (this.#get(`once:${key}`)) return false
    this.#set(`once:${key}`, '1', ttlMs)
    return true
  }

  /** Drops idle channels and expired keys (bounded memory). */
  sweep() {
    const now = this.now()
    for (const [name, channel] of this.#channels) {
      if (now - channel.touched > this.options.channelTtlSeconds * 1000) this.#channels.delete(name)
    }
    for (const [key, entry] of this.#kv) if (entry.expires <= now) this.#kv.delete(key)
  }

  async close() {
    clearInterval(this.#sweeper)
    this.#handlers = null
  }
}
