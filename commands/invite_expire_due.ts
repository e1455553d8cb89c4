import { OperatorCommand } from './_operator_command.js'

/** `invite:expire-due` (domain §16.5, §22.2 daily 03:30): runs the invitation expiry job now. */
export default class InviteExpireDue extends OperatorCommand {
  static commandName = 'invite:expire-due'
  static description =
    'Expire old open invitations of long-closed meetings and expired invitation links'

  async run() {
    const { ExpireInvites } = await import('#actions/invitations/invitation_jobs')
    const { expired } = await new ExpireInvites().execute()
    this.logger.info(`Expired ${expired} invitation(s)`)
  }
}
