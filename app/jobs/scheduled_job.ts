import logger from '@adonisjs/core/services/logger'
import { Job } from '@adonisjs/queue'

/**
 * Base of the scheduled jobs (start/scheduler.ts). The worker records a failed
 * run in the queue store but does not log it, so the failure hook does. A named
 * export: the job locator registers only default exports of app/jobs.
 */
export abstract class ScheduledJob extends Job<Record<string, never>> {
  async failed(error: Error) {
    const name = (this.constructor as typeof ScheduledJob).options.name
    logger.error({ err: error, job: name }, 'scheduled job failed')
  }
}
