import { readFile, stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
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

  /** A file's text, or standard input's when no file is named; refused above `maxBytes`. */
  protected async readFileOrStdin(
    file: string | undefined,
    stdin: Readable,
    maxBytes: number
  ): Promise<string> {
    const limit = `${Math.round(maxBytes / 1024 / 1024)} MB`
    if (file) {
      const size = await stat(file)
        .then((s) => s.size)
        .catch(() => null)
      if (size === null) throw new OperatorError(`Cannot read ${file}`)
      if (size > maxBytes) throw new OperatorError(`${file} is larger than ${limit}`)
      return readFile(file, 'utf8')
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of stdin) {
      size += chunk.length
      if (size > maxBytes) throw new OperatorError(`The input is larger than ${limit}`)
      chunks.push(Buffer.from(chunk))
    }
    return Buffer.concat(chunks).toString('utf8')
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
