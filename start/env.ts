/*
|--------------------------------------------------------------------------
| Environment variables service
|--------------------------------------------------------------------------
|
| Validated at boot: a missing or malformed variable stops the app with a
| message naming it. Defaults keep `npm run dev` working without a .env.
|
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  HOST: Env.schema.string({ format: 'host' }),
  LOG_LEVEL: Env.schema.string(),

  /*
   | Database: embedded SQLite by default, PostgreSQL with DB_CONNECTION=pg
   */
  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  SQLITE_FILE: Env.schema.string.optional(),
  PG_HOST: Env.schema.string.optional({ format: 'host' }),
  PG_PORT: Env.schema.number.optional(),
  PG_USER: Env.schema.string.optional(),
  PG_PASSWORD: Env.schema.string.optional(),
  PG_DB_NAME: Env.schema.string.optional(),

  /*
   | Sessions, locks, rate limits, realtime transport
   */
  SESSION_DRIVER: Env.schema.enum(['cookie', 'memory', 'redis'] as const),
  LOCK_STORE: Env.schema.enum.optional(['database', 'redis', 'memory'] as const),
  LIMITER_STORE: Env.schema.enum.optional(['database', 'redis', 'memory'] as const),
  TRANSMIT_TRANSPORT: Env.schema.enum.optional(['none', 'redis'] as const),
  // @adonisjs/queue adapter (config/queue.ts): database (default), redis, or sync (tests)
  QUEUE_DRIVER: Env.schema.enum.optional(['database', 'redis', 'sync'] as const),

  /*
   | Realtime (api.md §7.6, §7.11, domain §10.8): replay retention, snapshot
   | admission control, streams per user, poll.status throttle, SPA version
   */
  REALTIME_REPLAY_SECONDS: Env.schema.number.optional(),
  REALTIME_REPLAY_MESSAGES: Env.schema.number.optional(),
  REALTIME_SNAPSHOT_CONCURRENCY: Env.schema.number.optional(),
  REALTIME_MAX_STREAMS_PER_USER: Env.schema.number.optional(),
  POLL_STATUS_THROTTLE_SECONDS: Env.schema.number.optional(),
  FRONTEND_VERSION: Env.schema.string.optional(),

  /*
   | Redis (only connected to when a Redis store or transport is selected)
   */
  REDIS_HOST: Env.schema.string.optional({ format: 'host' }),
  REDIS_PORT: Env.schema.number.optional(),
  REDIS_PASSWORD: Env.schema.string.optional(),
  REDIS_DB: Env.schema.number.optional(),

  /*
   | Dialects (domain §20.1) and signed meeting structure exports (domain §21)
   */
  MEETING_DIALECTS_DIR: Env.schema.string.optional(),
  EXPORT_SECRET_KEY: Env.schema.string.optional(),
})
