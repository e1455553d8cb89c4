import logger from '@adonisjs/core/services/logger'
import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import { purgeIdempotencyKeys } from '#services/idempotency'

/** Daily 04:50 (our own, api.md §1): the same function as `node ace idempotency:purge`. */
export default class PurgeIdempotencyKeysJob extends Job<Record<string, never>> {
  static options: JobOptions = { name: 'PurgeIdempotencyKeysJob' }

  async execute() {
    const deleted = await purgeIdempotencyKeys()
    logger.info({ deleted }, 'expired idempotency keys deleted')
  }
}
