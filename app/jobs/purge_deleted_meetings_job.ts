import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { PurgeDeletedMeetings } from '#actions/meetings/meeting_jobs'

/** Tuesdays 05:10 (domain §22.2): the same action as `node ace meeting:purge-deleted`. */
export default class PurgeDeletedMeetingsJob extends ScheduledJob {
  static options: JobOptions = { name: 'PurgeDeletedMeetingsJob' }

  async execute() {
    const { purged } = await new PurgeDeletedMeetings().execute()
    logger.info({ purged }, 'deleted meetings purged')
  }
}
