import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { ArchiveDueMeetings } from '#actions/meetings/meeting_jobs'

/** Hourly (domain §22.2, D16): the same action as `node ace meeting:archive-due`. */
export default class ArchiveDueMeetingsJob extends ScheduledJob {
  static options: JobOptions = { name: 'ArchiveDueMeetingsJob' }

  async execute() {
    const { archived, failed } = await new ArchiveDueMeetings().execute()
    logger.info({ archived, failed }, 'due meetings archived')
  }
}
