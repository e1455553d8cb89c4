import { availableParallelism } from 'node:os'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { hub } from '#realtime/hub'
import { MemoryRealtimeStore, defaultReplayOptions, type ReplayOptions } from '#realtime/store'

/**
 * Realtime settings from the environment (api.md §7.6, §7.11) and the lazy
 * start of the hub: the Redis key space is named after the database's
 * incarnation (migration 0400), which can only be read once migrations ran.
 */
export const realtimeSettings = {
  replay: {
    ...defaultReplayOptions,
    retentionMs: (env.get('REALTIME_REPLAY_SECONDS') ?? 600) * 1000,
    keepMessages: env.get('REALTIME_REPLAY_MESSAGES') ?? 1000,
    hardCap: Math.max(10 * (env.get('REALTIME_REPLAY_MESSAGES') ?? 1000), 10_000),
  } satisfies ReplayOptions,
  snapshotConcurrency: env.get('REALTIME_SNAPSHOT_CONCURRENCY') ?? 2 * availableParallelism(),
  maxStreamsPerUser: env.get('REALTIME_MAX_STREAMS_PER_USER') ?? 20,
  pollStatusThrottleMs: (env.get('POLL_STATUS_THROTTLE_SECONDS') ?? 2) * 1000,
  transport: env.get('TRANSMIT_TRANSPORT', 'none'),
}

let starting: Promise<void> | null = null

/** Starts the hub once (memory store, or Redis when TRANSMIT_TRANSPORT=redis). */
export function ensureRealtime(): Promise<void> {
  if (hub.started) return Promise.resolve()
  if (!starting) {
    starting = start().catch((error) => {
      starting = null
      throw error
    })
  }
  return starting
}

async function start() {
  if (realtimeSettings.transport !== 'redis') {
    await hub.start(new MemoryRealtimeStore(realtimeSettings.replay))
    return
  }
  const [{ default: redis }, { RedisRealtimeStore }] = await Promise.all([
    import('@adonisjs/redis/services/main'),
    import('#realtime/redis_store'),
  ])
  const meta = await db.from('realtime_meta').select('incarnation').orderBy('id').first()
  const prefix = `rt:${meta?.incarnation ?? 'default'}:`
  const store = new RedisRealtimeStore(redis.connection(), prefix, realtimeSettings.replay)
  // Ace commands publish but never hold streams: no subscriber connection keeping them alive.
  await hub.start(store, { listen: app.getEnvironment() !== 'console' })
}
