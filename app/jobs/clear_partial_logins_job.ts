import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { ClearPartialLogins } from '#actions/integrations/login_jobs'

/** Daily 04:40 (domain §22.2): the same action as `node ace auth:clear-partial`. */
export default class ClearPartialLoginsJob extends ScheduledJob {
  static options: JobOptions = { name: 'ClearPartialLoginsJob' }

  async execute() {
    const { deleted } = await new ClearPartialLogins().execute()
    logger.info({ deleted }, 'stale partial logins purged')
  }
}
