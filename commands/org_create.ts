import { flags } from '@adonisjs/core/ace'
import CreateOrganisation from '#actions/organisations/create_organisation'
import { systemActor } from '#services/audit_log'
import { orgCreateValidator } from '#validators/operator_commands'
import { OperatorCommand } from './_operator_command.js'
import { ensureUser } from './_users.js'

/**
 * `org:create` (api.md §11.6): a tenant with password login on, and with
 * --admin-email its first org_manager with a one-time password printed once.
 * Idempotent: a second run with the same name and hosts changes nothing.
 */
export default class OrgCreate extends OperatorCommand {
  static commandName = 'org:create'
  static description =
    'Create an organisation (tenant) and, with --admin-email, its first organisation manager'
  static help = [
    'node ace org:create --name "Example Association" --host vote.example.org --host www.vote.example.org --admin-email chair@example.org',
    'Running it again with the same name and hosts changes nothing and exits 0.',
  ]

  @flags.string({ description: 'Title of the organisation (required)' })
  declare name?: string

  @flags.array({
    description: 'Host name the organisation answers on (required, repeatable)',
  })
  declare host?: string[]

  @flags.string({
    description: 'Email of the first organisation manager (gets a one-time password)',
  })
  declare adminEmail?: string

  async run() {
    // Validate everything first, so a bad email cannot leave a half-created tenant behind.
    const input = await orgCreateValidator.validate({
      'name': this.name,
      'host': this.host,
      'admin-email': this.adminEmail,
    })
    const actor = systemActor('cli')
    const { organisation, created } = await new CreateOrganisation().execute({
      title: input.name,
      hosts: input.host,
      passwordLogin: true,
      actor,
    })
    if (created) {
      this.logger.success(
        `Created organisation "${organisation.title}" (id ${organisation.id}) on ${input.host.join(', ')}`
      )
    } else {
      this.logger.info(
        `Organisation "${organisation.title}" (id ${organisation.id}) already exists on ${input.host.join(', ')}; nothing changed`
      )
    }

    if (input['admin-email']) {
      await ensureUser(this, organisation, {
        email: input['admin-email'],
        roles: ['org_manager'],
        actor,
      })
    }
  }
}
