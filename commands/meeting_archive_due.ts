import { OperatorCommand } from './_operator_command.js'

/** `meeting:archive-due` (domain §22.1): runs the hourly archiving job now. */
export default class MeetingArchiveDue extends OperatorCommand {
  static commandName = 'meeting:archive-due'
  static description = 'Archive meetings in "archiving" whose archive_after has passed'

  async run() {
    const { ArchiveDueMeetings } = await import('#actions/meetings/meeting_jobs')
    const { archived, failed } = await new ArchiveDueMeetings().execute()
    this.logger.info(
      `Archived ${archived.length} meeting(s)${archived.length ? `: ${archived.join(', ')}` : ''}`
    )
    for (const failure of failed)
      this.logger.warning(`Meeting ${failure.meeting}: ${failure.error}`)
  }
}
