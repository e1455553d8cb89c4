import logger from '@adonisjs/core/services/logger'
import { Job } from '@adonisjs/queue'
import type { JobOptions } from '@adonisjs/queue/types'
import { ClearProviderExtraData } from '#actions/integrations/login_jobs'

/** Daily 04:00 (domain §22.2): the same action as `node ace auth:clear-extra-data`. */
export default class ClearProviderExtraDataJob extends Job<Record<string, never>> {
  static options: JobOptions = { name: 'ClearProviderExtraDataJob' }

  async execute() {
    const { cleared } = await new ClearProviderExtraData().execute()
    logger.info({ cleared }, 'login-provider extra_data cleared')
  }
}
