import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { ClearProviderExtraData } from '#actions/integrations/login_jobs'

/** Daily 04:00 (domain §22.2): the same action as `node ace auth:clear-extra-data`. */
export default class ClearProviderExtraDataJob extends ScheduledJob {
  static options: JobOptions = { name: 'ClearProviderExtraDataJob' }

  async execute() {
    const { cleared } = await new ClearProviderExtraData().execute()
    logger.info({ cleared }, 'login-provider extra_data cleared')
  }
}
