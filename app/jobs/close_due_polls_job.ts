import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { closeDuePolls } from '#services/poll_hooks'

/**
 * Every minute (domain §10.1, §22.2): the same function as `node ace poll:close --due`.
 * The scheduler hands each tick to one worker, but a tick can still overlap the
 * previous one or a manual run; closeDuePolls takes the per-poll lock, so each
 * due poll is closed exactly once however many run at the same time.
 */
export default class CloseDuePollsJob extends ScheduledJob {
  static options: JobOptions = { name: 'CloseDuePollsJob' }

  async execute() {
    const closed = await closeDuePolls()
    if (closed.length) logger.info({ closed }, 'due polls closed')
  }
}
