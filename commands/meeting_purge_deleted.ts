import { OperatorCommand } from './_operator_command.js'

/** `meeting:purge-deleted` (domain §22.1, S05): runs the weekly hard-delete job now. */
export default class MeetingPurgeDeleted extends OperatorCommand {
  static commandName = 'meeting:purge-deleted'
  static description =
    'Permanently delete never-started meetings whose deletion was requested over 7 days ago'

  async run() {
    const { PurgeDeletedMeetings } = await import('#actions/meetings/meeting_jobs')
    const { purged } = await new PurgeDeletedMeetings().execute()
    this.logger.info(
      `Purged ${purged.length} meeting(s)${purged.length ? `: ${purged.join(', ')}` : ''}`
    )
  }
}
