import { OperatorCommand } from './_operator_command.js'

/** `auth:clear-partial` (domain §22.1): purge stale partial logins now (the daily 04:40 job). */
export default class AuthClearPartial extends OperatorCommand {
  static commandName = 'auth:clear-partial'
  static description =
    'Delete provider logins paused at the account choice that can no longer be completed'

  async run() {
    const { ClearPartialLogins } = await import('#actions/integrations/login_jobs')
    const { deleted } = await new ClearPartialLogins().execute()
    this.logger.info(`Deleted ${deleted} stale partial login(s)`)
  }
}
