import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { PurgeInvites } from '#actions/invitations/invitation_jobs'

/** Daily 03:50 (domain §22.2, §16.5): the same action as `node ace invite:purge`. */
export default class PurgeInvitesJob extends ScheduledJob {
  static options: JobOptions = { name: 'PurgeInvitesJob' }

  async execute() {
    const { deleted } = await new PurgeInvites().execute()
    logger.info({ deleted }, 'old invites deleted')
  }
}
