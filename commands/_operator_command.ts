import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { errors as vineErrors } from '@vinejs/vine'
import { DomainError } from '#domain/errors'
import { resolveOrganisationByHost } from '#services/tenancy'

/** A refusal of an operator command: printed as one red line, exit code 1. */
export class OperatorError extends Error {}

/**
 * Base of the operator commands (docs/commands.md). The file name starts with
 * "_" so the Ace loader does not take it for a command.
 *
 * Expected failures (an OperatorError, a DomainError from an action, VineJS
 * validation of the flags) end as one red line on stderr and exit code 1,
 * never a stack trace. Anything else is a bug and keeps Ace's full report.
 */
export abstract class OperatorCommand extends BaseCommand {
  static options: CommandOptions = { startApp: true }

  async completed() {
    const message = this.error ? operatorMessage(this.error) : null
    if (message === null) return false
    this.exitCode = 1
    this.logger.error(message)
    return true
  }

  protected async organisationByHost(host: string) {
    const organisation = await resolveOrganisationByHost(host)
    if (!organisation) throw new OperatorError(`No organisation on host "${host}"`)
    return organisation
  }
}

function operatorMessage(error: unknown): string | null {
  if (error instanceof OperatorError) return error.message
  if (error instanceof DomainError) return error.message
  if (error instanceof vineErrors.E_VALIDATION_ERROR) {
    const messages = (error.messages as Array<{ field: string; message: string }>).map(
      (entry) => `--${entry.field.split('.')[0]}: ${entry.message}`
    )
    return messages.join('; ')
  }
  return null
}
