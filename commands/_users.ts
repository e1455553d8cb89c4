import type { BaseCommand } from '@adonisjs/core/ace'
import type Organisation from '#models/organisation'
import User from '#models/user'
import CreateUser from '#actions/users/create_user'
import ChangeOrganisationRoles from '#actions/roles/change_organisation_roles'
import type { Actor } from '#services/audit_log'
import type { OrganisationRoleCode } from '#domain/permissions/roles'

export interface EnsureUserInput {
  email: string
  firstName?: string
  lastName?: string
  password?: string
  roles?: OrganisationRoleCode[]
  actor: Actor
}

/**
 * Shared by org:create and user:create: creates the user unless one with this
 * email exists (then nothing about the user changes, the password least of
 * all), and makes sure it holds the given roles. A generated one-time
 * password is printed here, the only time it is ever shown.
 */
export async function ensureUser(
  command: BaseCommand,
  organisation: Organisation,
  input: EnsureUserInput
) {
  const { logger } = command
  const email = input.email.trim().toLowerCase()
  let user = await User.forOrganisation(organisation.id).where('email', email).first()

  if (user) {
    logger.info(
      `User ${email} (id ${user.id}) already exists; the user and the password are unchanged`
    )
  } else {
    const created = await new CreateUser().execute({
      organisation,
      email,
      firstName: input.firstName,
      lastName: input.lastName,
      password: input.password,
      actor: input.actor,
    })
    user = created.user
    logger.success(`Created user ${email} (id ${user.id}) in "${organisation.title}"`)
    if (created.oneTimePassword) {
      logger.log(
        [
          '',
          `  One-time password for ${email}: ${created.oneTimePassword}`,
          '  It is shown only now and must be changed at the first login.',
          '',
        ].join('\n')
      )
    }
  }

  if (input.roles?.length) {
    const [result] = await new ChangeOrganisationRoles().execute({
      organisation,
      userIds: [user.id],
      roles: input.roles,
      mode: 'add',
      actor: input.actor,
    })
    logger.info(`Organisation roles of ${email}: ${result.assigned.join(', ') || '(none)'}`)
  }
  return user
}
