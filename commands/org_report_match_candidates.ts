import { flags } from '@adonisjs/core/ace'
import Organisation from '#models/organisation'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/**
 * `org:report-match-candidates [--host] [--provider] [--show-ambiguous]`
 * (domain §22.1): how ambiguous account matching by verified email would be.
 */
export default class OrgReportMatchCandidates extends OperatorCommand {
  static commandName = 'org:report-match-candidates'
  static description = 'Report how provider logins would match existing accounts by email'

  @flags.string({ description: 'A host of the organisation (default: every organisation)' })
  declare host?: string

  @flags.string({ description: 'Leave out accounts already connected to this provider id' })
  declare provider?: string

  @flags.boolean({ description: 'List the ambiguous emails and their accounts' })
  declare showAmbiguous?: boolean

  async run() {
    const { matchCandidatesReport } = await import('#services/match_candidates')
    const organisations = this.host
      ? [await this.organisationByHost(this.host)]
      : await Organisation.query().orderBy('id')
    for (const organisation of organisations) {
      let report
      try {
        report = await matchCandidatesReport(organisation, this.provider)
      } catch (error) {
        throw new OperatorError((error as Error).message)
      }
      this.logger.info(
        `${report.organisation.title} (id ${report.organisation.id}): ${report.users} active user(s), ` +
          `${report.uniqueByEmail} matched by a unique email, ${report.ambiguous.length} ambiguous email(s), ` +
          `${report.withoutEmail} without email` +
          (report.provider
            ? `, ${report.provider.connected} already connected to ${report.provider.id}`
            : '')
      )
      if (this.showAmbiguous) {
        for (const group of report.ambiguous) {
          const users = group.users
            .map((user) => `${user.id}${user.userid ? ` (${user.userid})` : ''}`)
            .join(', ')
          this.logger.info(`  ${group.email}: ${users}`)
        }
      }
    }
  }
}
