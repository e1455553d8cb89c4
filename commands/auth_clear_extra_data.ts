import { OperatorCommand } from './_operator_command.js'

/** `auth:clear-extra-data`: forget provider claims older than 365 days now (the daily 04:00 job). */
export default class AuthClearExtraData extends OperatorCommand {
  static commandName = 'auth:clear-extra-data'
  static description = 'Clear login-provider extra data stored more than 365 days ago'

  async run() {
    const { ClearProviderExtraData } = await import('#actions/integrations/login_jobs')
    const { cleared } = await new ClearProviderExtraData().execute()
    this.logger.info(`Cleared extra data of ${cleared} connection(s)`)
  }
}
