import { channels } from '#realtime/channels'
import { publishNow, type OutgoingMessage } from '#realtime/publish'
import type { RealtimeStore } from '#realtime/store'

/**
 * Coalesced `poll.status` (domain §10.8, api.md §7.8): votes only mark a poll
 * "dirty"; one job per poll publishes the freshly computed status at most once
 * per POLL_STATUS_THROTTLE_SECONDS on the meeting channel and the poll
 * channel, so the broadcast rate does not grow with the number of voters.
 *
 * Across instances the slot ("published within the last period") and the
 * dirty flag live in the realtime store (Redis when several instances run),
 * so the bound holds for the whole deployment, not per instance.
 *
 *   schedulePollStatus(meetingId, pollId, () => computeStatus(pollId))
 *
 * Call it after the vote's transaction committed (trx.after('commit')).
 */
export interface PollStatus {
  id: number
  meeting: number
  voted: number
  total: number
  voted_weight: number
  total_weight: number
}

export type PollStatusCompute = () => Promise<PollStatus | null>

interface Dependencies {
  store: () => Promise<RealtimeStore>
  throttleMs: () => number
  publish: (messages: OutgoingMessage[]) => Promise<void>
}

export class PollStatusScheduler {
  /** Polls with a local timer already pending (at most one per poll and instance). */
  #timers = new Map<number, NodeJS.Timeout>()
  #running = new Map<number, Promise<void>>()
  #latest = new Map<number, { meetingId: number; compute: PollStatusCompute }>()
  /** Publications made by this instance (for tests and the benchmark). */
  published = 0

  constructor(private deps: Dependencies) {}

  async schedule(meetingId: number, pollId: number, compute: PollStatusCompute) {
    this.#latest.set(pollId, { meetingId, compute })
    const store = await this.deps.store()
    await store.setFlag(`ps:${pollId}`, Math.max(60_000, this.deps.throttleMs() * 10))
    if (this.#timers.has(pollId) || this.#running.has(pollId)) return
    await this.#attempt(pollId)
  }

  async #attempt(pollId: number) {
    const store = await this.deps.store()
    const wait = await store.acquireSlot(`ps:${pollId}`, this.deps.throttleMs())
    if (wait > 0) return this.#later(pollId, wait + 5)
    if (!(await store.takeFlag(`ps:${pollId}`))) return // another instance published the latest state
    const run = this.#publish(pollId).finally(() => this.#running.delete(pollId))
    this.#running.set(pollId, run)
    await run
    // Votes that arrived during this period are published when the slot frees.
    this.#later(pollId, this.deps.throttleMs() + 5)
  }

  #later(pollId: number, ms: number) {
    if (this.#timers.has(pollId)) return
    const timer = setTimeout(() => {
      this.#timers.delete(pollId)
      void this.#retry(pollId)
    }, ms)
    timer.unref?.()
    this.#timers.set(pollId, timer)
  }

  /** A timer fired: try again; the loop ends once a free slot finds nothing new to publish. */
  async #retry(pollId: number) {
    await this.#attempt(pollId).catch(() => undefined)
  }

  async #publish(pollId: number) {
    const latest = this.#latest.get(pollId)
    if (!latest) return
    const status = await latest.compute()
    if (!status) return
    this.published++
    await this.deps.publish([
      { channel: channels.meeting(latest.meetingId), type: 'poll.status', data: status },
      { channel: channels.poll(latest.meetingId, pollId), type: 'poll.status', data: status },
    ])
  }

  /** Stops the local timers of a poll (closed or deleted poll). */
  forget(pollId: number) {
    const timer = this.#timers.get(pollId)
    if (timer) clearTimeout(timer)
    this.#timers.delete(pollId)
    this.#latest.delete(pollId)
  }
}

let scheduler: PollStatusScheduler | null = null

function defaultScheduler() {
  if (!scheduler) {
    scheduler = new PollStatusScheduler({
      store: async () => {
        const [{ hub }, { ensureRealtime }] = await Promise.all([
          import('#realtime/hub'),
          import('#realtime/runtime'),
        ])
        await ensureRealtime()
        return hub.store!
      },
      throttleMs: () => pollStatusThrottleMs,
      publish: publishNow,
    })
  }
  return scheduler
}

let pollStatusThrottleMs = 2000

/** Set from the environment at boot (start/transmit.ts). */
export function setPollStatusThrottle(ms: number) {
  pollStatusThrottleMs = ms
}

export function schedulePollStatus(meetingId: number, pollId: number, compute: PollStatusCompute) {
  return defaultScheduler().schedule(meetingId, pollId, compute)
}

export function forgetPollStatus(pollId: number) {
  defaultScheduler().forget(pollId)
}
