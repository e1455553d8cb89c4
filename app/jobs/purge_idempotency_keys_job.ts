import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { purgeIdempotencyKeys } from '#services/idempotency'

/** Daily 04:50 (our own, api.md §1): the same function as `node ace idempotency:purge`. */
export default class PurgeIdempotencyKeysJob extends ScheduledJob {
  static options: JobOptions = { name: 'PurgeIdempotencyKeysJob' }

  async execute() {
    const deleted = await purgeIdempotencyKeys()
    logger.info({ deleted }, 'expired idempotency keys deleted')
  }
}
