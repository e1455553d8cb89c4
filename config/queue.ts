import env from '#start/env'
import { defineConfig, drivers } from '@adonisjs/queue'

const queueDriver = env.get('QUEUE_DRIVER', 'database')

/*
 | Background and scheduled jobs (architecture §1, domain §22.2). The adapter
 | is chosen by QUEUE_DRIVER: `database` (tables from the queue migration, on
 | the primary connection: the embedded SQLite by default), `redis` in
 | production, `sync` in tests (jobs run inline, nothing polls). Adapters are
 | resolved at boot, so only the selected one is configured: a Redis adapter
 | would otherwise connect even when unused (architecture pitfall 8).
 */
export default defineConfig({
  default: queueDriver,

  adapters: {
    ...(queueDriver === 'redis' ? { redis: drivers.redis({ connectionName: 'main' }) } : {}),
    ...(queueDriver === 'database' ? { database: drivers.database() } : {}),
    sync: drivers.sync(),
  },

  defaultJobOptions: {
    // A scheduled job that fails is run again at its next tick; keep the last failures to read.
    maxRetries: 0,
    removeOnFail: { count: 100 },
  },

  worker: {
    concurrency: 2,
    idleDelay: '2s',
  },

  locations: ['./app/jobs/**/*.{ts,js}'],
})
