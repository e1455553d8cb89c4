import logger from '@adonisjs/core/services/logger'
import type { JobOptions } from '@adonisjs/queue/types'
import { ScheduledJob } from '#jobs/scheduled_job'
import { closeStaleConnections } from '#realtime/presence'

/** Every 30 minutes (domain §22.2): close code 1006 on open connections silent for over an hour. */
export default class CloseStaleConnectionsJob extends ScheduledJob {
  static options: JobOptions = { name: 'CloseStaleConnectionsJob' }

  async execute() {
    const rows = await closeStaleConnections()
    const closed = Number(Array.isArray(rows) ? rows[0] : rows) || 0
    logger.info({ closed }, 'stale realtime connections closed')
  }
}
