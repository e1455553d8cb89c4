import { flags } from '@adonisjs/core/ace'
import { systemActor } from '#services/audit_log'
import { passwordValidator, userCreateValidator } from '#validators/operator_commands'
import { OperatorCommand, OperatorError } from './_operator_command.js'
import { ensureUser } from './_users.js'

/**
 * `user:create` (api.md §11.6). Without --password-stdin the user gets a
 * one-time password, printed once. Idempotent: an existing email is reported
 * and left as it is (only missing --role grants are added).
 */
export default class UserCreate extends OperatorCommand {
  static commandName = 'user:create'
  static description =
    'Create a user in an organisation (one-time password unless --password-stdin)'
  static help = [
    'node ace user:create --org vote.example.org --email clerk@example.org --role meeting_creator',
    'printf "%s" "$PASSWORD" | node ace user:create --org vote.example.org --email clerk@example.org --password-stdin',
  ]

  @flags.string({ description: 'Host name of the organisation (required)' })
  declare org?: string

  @flags.string({ description: 'Email address (unique within the organisation) (required)' })
  declare email?: string

  @flags.boolean({
    description: 'Read the password from standard input instead of generating a one-time password',
  })
  declare passwordStdin?: boolean

  @flags.array({
    description: 'Organisation role to grant: org_manager or meeting_creator (repeatable)',
  })
  declare role?: string[]

  @flags.string({ description: 'First name' })
  declare firstName?: string

  @flags.string({ description: 'Last name' })
  declare lastName?: string

  /** Where --password-stdin reads from; a seam for tests. */
  stdin: NodeJS.ReadableStream = process.stdin

  async run() {
    const input = await userCreateValidator.validate({
      'org': this.org,
      'email': this.email,
      'first-name': this.firstName,
      'last-name': this.lastName,
      'role': this.role,
    })
    const organisation = await this.organisationByHost(input.org)
    const password = this.passwordStdin ? await this.readPassword() : undefined
    await ensureUser(this, organisation, {
      email: input.email,
      firstName: input['first-name'],
      lastName: input['last-name'],
      password,
      roles: input.role,
      actor: systemActor('cli'),
    })
  }

  /** The whole of standard input, minus one trailing newline (as `echo` adds). */
  private async readPassword() {
    if ((this.stdin as NodeJS.ReadStream).isTTY) {
      throw new OperatorError(
        '--password-stdin expects the password on standard input (a pipe or a file), not a terminal'
      )
    }
    let text = ''
    for await (const chunk of this.stdin) text += chunk.toString()
    const input = await passwordValidator.validate({ 'password-stdin': text.replace(/\r?\n$/, '') })
    return input['password-stdin']
  }
}
