import { OperatorCommand } from './_operator_command.js'

/** `invite:purge` (domain §16.5, §22.2 daily 03:50): runs the invitation clean-up job now. */
export default class InvitePurge extends OperatorCommand {
  static commandName = 'invite:purge'
  static description =
    'Delete expired/revoked invitations older than 30 days and any invitation older than 200 days'

  async run() {
    const { PurgeInvites } = await import('#actions/invitations/invitation_jobs')
    const { deleted } = await new PurgeInvites().execute()
    this.logger.info(`Deleted ${deleted} invitation(s)`)
  }
}
