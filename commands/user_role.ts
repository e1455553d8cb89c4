import { flags } from '@adonisjs/core/ace'
import User from '#models/user'
import ChangeOrganisationRoles from '#actions/roles/change_organisation_roles'
import { organisationRolesOf } from '#services/actor_facts'
import { systemActor } from '#services/audit_log'
import { userRoleValidator } from '#validators/operator_commands'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/**
 * `user:role` (api.md §11.6): add or remove organisation roles. Idempotent:
 * adding a held role or removing a missing one changes (and audits) nothing.
 */
export default class UserRole extends OperatorCommand {
  static commandName = 'user:role'
  static description = 'Add or remove organisation roles (org_manager, meeting_creator) of a user'
  static help = [
    'node ace user:role --org vote.example.org --email clerk@example.org --add meeting_creator',
    'node ace user:role --org vote.example.org --email old-chair@example.org --remove org_manager',
  ]

  @flags.string({ description: 'Host name of the organisation (required)' })
  declare org?: string

  @flags.string({ description: 'Email address of the user (required)' })
  declare email?: string

  @flags.array({ description: 'Role to add: org_manager or meeting_creator (repeatable)' })
  declare add?: string[]

  @flags.array({ description: 'Role to remove: org_manager or meeting_creator (repeatable)' })
  declare remove?: string[]

  async run() {
    const input = await userRoleValidator.validate({
      org: this.org,
      email: this.email,
      add: this.add,
      remove: this.remove,
    })
    const add = input.add ?? []
    const remove = input.remove ?? []
    if (add.length === 0 && remove.length === 0)
      throw new OperatorError('Give --add <role> or --remove <role>')
    if (add.length > 0 && remove.length > 0)
      throw new OperatorError('Give either --add or --remove, not both')

    const organisation = await this.organisationByHost(input.org)
    const email = input.email.toLowerCase()
    const user = await User.forOrganisation(organisation.id).where('email', email).first()
    if (!user) throw new OperatorError(`No user with email ${email} in "${organisation.title}"`)

    const before = await organisationRolesOf(user)
    const [result] = await new ChangeOrganisationRoles().execute({
      organisation,
      userIds: [user.id],
      roles: add.length ? add : remove,
      mode: add.length ? 'add' : 'remove',
      actor: systemActor('cli'),
    })
    const after = result.assigned
    const roles = after.join(', ') || '(none)'
    if (JSON.stringify(before) === JSON.stringify(after)) {
      this.logger.info(`Nothing to change: organisation roles of ${email} are ${roles}`)
    } else {
      this.logger.success(`Organisation roles of ${email}: ${roles}`)
    }
  }
}
