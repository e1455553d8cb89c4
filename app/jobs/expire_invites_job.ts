import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { ExpireInvites } from '#actions/invitations/invitation_jobs'

/** Daily 03:30 (domain §22.2, §16.5): the same action as `node ace invite:expire-due`. */
export default class ExpireInvitesJob extends ScheduledJob {
  static options: JobOptions = { name: 'ExpireInvitesJob' }

  async execute() {
    const { expired } = await new ExpireInvites().execute()
    logger.info({ expired }, 'old open invites expired')
  }
}
