import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import logger from '@adonisjs/core/services/logger'
import Organisation from '#models/organisation'
import User from '#models/user'
import { channels } from '#realtime/channels'
import type { OutgoingMessage } from '#realtime/publish'
import { batchByChannel, envelopeTail, frameJson } from '#realtime/envelope'
import { PING_EVENT, sseEvent, writable } from '#realtime/sse'
import { authoriseChannel, type ChannelSubject } from '#realtime/authorisers'
import type { ControlMessage, RealtimeStore } from '#realtime/store'

/**
 * One open event stream of this instance. Kept small: thousands of them sit
 * idle per instance, so no request context, no per-stream stream objects,
 * closures or timers (docs/realtime.md, "Memory per stream").
 */
export interface LocalStream {
  uid: string
  userId: number
  organisationId: number
  authRef: string | null
  /** Events are written straight to it (app/realtime/sse.ts). */
  response: ServerResponse
  channels: Set<string>
  /** Channels being re-checked: events wait here until the decision (role changes). */
  held: Map<string, { count: number; frames: string[] }> | null
  connectionId: number | null
  closeCode: number | null
  openedAt: number
}

/** Bytes a slow stream may have unsent before it is dropped (it reconnects and replays). */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024
/** Keep-alive interval (api.md §7.1: at least every 15 seconds); one timer for all streams. */
export const HEARTBEAT_MS = 15_000
const ACK_TIMEOUT_MS = 3000

/**
 * The per-instance realtime hub: the local streams and their subscriptions,
 * ordered delivery of the store's envelopes (serialised once per channel),
 * back-pressure, re-checking subscriptions when permissions change, closing
 * streams, and subscribe requests that reach another instance than the one
 * holding the stream.
 */
export class RealtimeHub {
  readonly instance = randomUUID()
  store: RealtimeStore | null = null
  readonly streams = new Map<string, LocalStream>()
  #byChannel = new Map<string, Set<LocalStream>>()
  #byUser = new Map<number, Set<LocalStream>>()
  #acks = new Map<string, (ok: boolean) => void>()
  #listeners: Array<(event: 'detach', local: LocalStream) => void> = []
  #heartbeat: NodeJS.Timeout | null = null
  /** Counters for the benchmark and admin views. */
  readonly stats = { delivered: 0, droppedSlow: 0, published: 0 }

  async start(store: RealtimeStore, options: { listen?: boolean } = {}) {
    if (options.listen !== false) {
      await store.listen({
        envelopes: (channel, envelopes) => this.#deliver(channel, envelopes),
        control: (message) => void this.#onControl(message),
      })
    }
    // Only now: nothing is published before this instance can receive it.
    this.store = store
    this.#heartbeat ??= setInterval(() => this.ping(), HEARTBEAT_MS).unref()
  }

  async stop() {
    if (this.#heartbeat) clearInterval(this.#heartbeat)
    this.#heartbeat = null
    await this.store?.close()
    this.store = null
  }

  /** The keep-alive frame to every local stream. */
  ping() {
    for (const local of this.streams.values()) {
      if (writable(local.response)) local.response.write(PING_EVENT)
    }
  }

  get started() {
    return this.store !== null
  }

  onDetach(listener: (event: 'detach', local: LocalStream) => void) {
    this.#listeners.push(listener)
  }

  // ---------------------------------------------------------------- streams

  attach(local: LocalStream) {
    const previous = this.streams.get(local.uid)
    if (previous && previous !== local) this.close(previous, 1000)
    this.streams.set(local.uid, local)
    let forUser = this.#byUser.get(local.userId)
    if (!forUser) this.#byUser.set(local.userId, (forUser = new Set()))
    forUser.add(local)
  }

  detach(local: LocalStream) {
    if (this.streams.get(local.uid) === local) this.streams.delete(local.uid)
    for (const channel of local.channels) this.#unindex(local, channel)
    local.channels.clear()
    const forUser = this.#byUser.get(local.userId)
    forUser?.delete(local)
    if (forUser?.size === 0) this.#byUser.delete(local.userId)
    for (const listener of this.#listeners) listener('detach', local)
  }

  streamsOf(userId: number): LocalStream[] {
    return [...(this.#byUser.get(userId) ?? [])]
  }

  subscribersOf(channel: string): number {
    return this.#byChannel.get(channel)?.size ?? 0
  }

  addSubscription(local: LocalStream, channel: string) {
    local.channels.add(channel)
    let set = this.#byChannel.get(channel)
    if (!set) this.#byChannel.set(channel, (set = new Set()))
    set.add(local)
  }

  removeSubscription(local: LocalStream, channel: string) {
    local.channels.delete(channel)
    local.held?.delete(channel)
    if (local.held?.size === 0) local.held = null
    this.#unindex(local, channel)
  }

  #unindex(local: LocalStream, channel: string) {
    const set = this.#byChannel.get(channel)
    set?.delete(local)
    if (set?.size === 0) this.#byChannel.delete(channel)
  }

  // --------------------------------------------------------------- delivery

  #deliver(channel: string, envelopes: string[]) {
    const subscribers = this.#byChannel.get(channel)
    if (!subscribers || subscribers.size === 0) return
    // Built once, written to every subscriber.
    const frames = envelopes.map((envelope) => sseEvent(frameJson(channel, envelope)))
    for (const local of subscribers) {
      const held = local.held?.get(channel)
      if (held) {
        held.frames.push(...frames)
        continue
      }
      for (const frame of frames) if (!this.#write(local, frame)) break
    }
  }

  /** Writes one event; a stream whose client does not keep up is dropped instead of buffering without end. */
  #write(local: LocalStream, event: string): boolean {
    const response = local.response
    if (!writable(response)) return false
    if (response.writableLength > MAX_QUEUED_BYTES) {
      this.stats.droppedSlow++
      local.closeCode = 1006
      response.destroy()
      return false
    }
    response.write(event)
    this.stats.delivered++
    return true
  }

  /** An out-of-band `system.closing` (never sequenced, never replayed), then the end of the stream. */
  close(local: LocalStream, code: number) {
    local.closeCode = code
    const channel = channels.user(local.userId)
    const envelope = JSON.stringify({
      v: 1,
      type: 'system.closing',
      channel,
      epoch: null,
      seq: null,
      ts: new Date().toISOString(),
      rid: null,
      data: { code },
    })
    if (!writable(local.response)) return
    try {
      local.response.end(sseEvent(frameJson(channel, envelope)))
    } catch {
      local.response.destroy()
    }
  }

  // ------------------------------------------------------------- publishing

  /**
   * The sink of `publishAfterCommit`: one transaction's messages, batched per
   * §7.8, appended channel by channel (first-added channel first). Role
   * changes first hold the concerned user's subscriptions so that nothing the
   * user may no longer see slips out while they are re-checked.
   */
  async publish(messages: readonly OutgoingMessage[]) {
    if (!this.store || messages.length === 0) return
    const concerned = new Set<number>()
    for (const message of messages) {
      if (message.type === 'roles.changed') {
        const user = (message.data as { user?: unknown } | null)?.user
        if (typeof user === 'number') concerned.add(user)
      }
    }
    for (const userId of concerned) await this.revalidateUser(userId)

    const ts = new Date().toISOString()
    const now = Date.now()
    for (const [channel, pending] of batchByChannel(messages)) {
      const tails = pending.map((message) => envelopeTail(channel, message, ts))
      await this.store.append(channel, tails, now)
      this.stats.published += tails.length
    }
  }

  // ---------------------------------------------------------------- control

  async revalidateUser(userId: number) {
    await this.#control({ op: 'revalidate_user', id: randomUUID(), userId })
  }

  /** Re-checks every subscriber of a channel (e.g. an agenda item became private). */
  async revalidateChannel(channel: string) {
    await this.#control({ op: 'revalidate_channel', id: randomUUID(), channel })
  }

  /** Closes streams on every instance: all of a user's, those of one login, or one stream. */
  async closeStreams(target: { userId?: number; authRef?: string; uid?: string }, code: number) {
    await this.#control({ op: 'close', id: randomUUID(), code, ...target })
  }

  async #control(message: ControlMessage) {
    if (!this.store) return
    // Applied here first (holds take effect before this instance publishes anything else),
    // then on the other instances; the echo of our own message is ignored.
    this.#own.add(message.id)
    const local = this.#onControl(message)
    await this.store.publishControl(message)
    await local
  }

  /** Ids of control messages this instance sent and already applied. */
  #own = new Set<string>()

  async #onControl(message: ControlMessage): Promise<void> {
    if (message.op !== 'ack' && message.op !== 'subscribe' && message.op !== 'unsubscribe') {
      if (this.#own.has(message.id)) {
        if (this.#applied.has(message.id)) {
          this.#own.delete(message.id)
          this.#applied.delete(message.id)
          return
        }
        this.#applied.add(message.id)
      }
    }
    switch (message.op) {
      case 'revalidate_user':
        return this.#recheck(this.streamsOf(message.userId), message.id)
      case 'revalidate_channel':
        return this.#recheck(
          [...(this.#byChannel.get(message.channel) ?? [])],
          message.id,
          message.channel
        )
      case 'close': {
        // Narrowed by the indexes: one stream by uid, a user's streams by user id.
        const one = message.uid === undefined ? null : this.streams.get(message.uid)
        const targets =
          message.uid !== undefined
            ? one
              ? [one]
              : []
            : message.userId !== undefined
              ? this.streamsOf(message.userId)
              : [...this.streams.values()]
        for (const local of targets) {
          if (message.userId !== undefined && local.userId !== message.userId) continue
          if (message.authRef !== undefined && local.authRef !== message.authRef) continue
          this.close(local, message.code)
        }
        return
      }
      case 'subscribe':
      case 'unsubscribe': {
        const local = this.streams.get(message.uid)
        if (!local) return
        const ok = local.userId === message.userId && this.#applyRemote(local, message)
        await this.store?.publishControl({ op: 'ack', id: message.id, to: message.from, ok })
        return
      }
      case 'ack':
        if (message.to === this.instance) this.#acks.get(message.id)?.(message.ok)
        return
    }
  }

  /** Own control messages applied once (the echo from the store is the second sighting). */
  #applied = new Set<string>()

  /** A (un)subscribe forwarded by the instance that received (and authorised) the request. */
  #applyRemote(local: LocalStream, message: { op: 'subscribe' | 'unsubscribe'; channel: string }) {
    if (message.op === 'unsubscribe') this.removeSubscription(local, message.channel)
    else this.addSubscription(local, message.channel)
    return true
  }

  /** Asks the instance holding `uid` to (un)subscribe it; resolves when it confirmed. */
  async remote(
    op: 'subscribe' | 'unsubscribe',
    uid: string,
    channel: string,
    userId: number
  ): Promise<boolean> {
    if (!this.store) return false
    const id = randomUUID()
    const answer = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ACK_TIMEOUT_MS)
      this.#acks.set(id, (ok) => {
        clearTimeout(timer)
        resolve(ok)
      })
    })
    await this.store.publishControl({ op, id, uid, channel, userId, from: this.instance })
    try {
      return await answer
    } finally {
      this.#acks.delete(id)
    }
  }

  /**
   * Re-checks subscriptions. While a check runs, frames for the checked
   * channels are held; an allowed channel then gets them in order, a refused
   * one is removed and `channel.revoked` goes out once on the user channel
   * (de-duplicated across instances).
   */
  async #recheck(locals: LocalStream[], id: string, only?: string) {
    const checks: Array<{ local: LocalStream; channel: string }> = []
    for (const local of locals) {
      for (const channel of local.channels) {
        if (only !== undefined && channel !== only) continue
        if (channel === channels.user(local.userId)) continue
        const held = local.held?.get(channel)
        if (held) held.count++
        else (local.held ??= new Map()).set(channel, { count: 1, frames: [] })
        checks.push({ local, channel })
      }
    }
    if (checks.length === 0) return
    const subjects = new Map<string, Promise<ChannelSubject | null>>()
    const decisions = new Map<string, Promise<boolean>>()
    const decide = (local: LocalStream, channel: string) => {
      const key = `${local.userId}:${local.organisationId}:${channel}`
      let decision = decisions.get(key)
      if (!decision) {
        const subjectKey = `${local.userId}:${local.organisationId}`
        let subject = subjects.get(subjectKey)
        if (!subject)
          subjects.set(subjectKey, (subject = loadSubject(local.userId, local.organisationId)))
        decision = subject.then(
          async (loaded) => !!loaded && (await authoriseChannel(loaded, channel)) === 'allow'
        )
        decisions.set(key, decision)
      }
      return decision
    }
    const revoked: Array<{ userId: number; channel: string }> = []
    for (const { local, channel } of checks) {
      const allowed = await decide(local, channel).catch(() => false)
      const held = local.held?.get(channel)
      if (!held) continue // unsubscribed or detached meanwhile
      if (!allowed) {
        this.removeSubscription(local, channel)
        if (!revoked.some((entry) => entry.userId === local.userId && entry.channel === channel)) {
          revoked.push({ userId: local.userId, channel })
        }
        continue
      }
      held.count--
      if (held.count > 0) continue
      local.held!.delete(channel)
      if (local.held!.size === 0) local.held = null
      for (const frame of held.frames) if (!this.#write(local, frame)) break
    }
    for (const { userId, channel } of revoked) {
      if (!(await this.store!.once(`revoked:${id}:${userId}:${channel}`, 60_000))) continue
      await this.publish([
        {
          channel: channels.user(userId),
          type: 'channel.revoked',
          data: { channel, reason: 'permission' },
        },
      ])
    }
  }
}

async function loadSubject(userId: number, organisationId: number): Promise<ChannelSubject | null> {
  const [user, organisation] = await Promise.all([
    User.findInOrganisation(organisationId, userId),
    Organisation.find(organisationId),
  ])
  if (!user || !organisation) return null
  return { user, organisation }
}

/** The process-wide hub (started by start/transmit.ts). */
export const hub = new RealtimeHub()

export function logRealtimeError(error: unknown, what: string) {
  logger.error({ err: error }, `realtime: ${what} failed`)
}
