import { readFileSync, statSync } from 'node:fs'
import { args, flags } from '@adonisjs/core/ace'
import ImportDialect, { MAX_DIALECT_BYTES } from '#actions/dialects/import_dialect'
import { DomainError } from '#domain/errors'
import { dialectNameOf } from '#domain/dialects/directory'
import { formatIssue, type DialectIssue } from '#domain/dialects/dialect'
import { systemActor } from '#services/audit_log'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/**
 * `dialect:import <file> --org <host>` (domain §22.1, api.md §11.7): validates the file and stores
 * it as a new version of the dialect for that organisation only.
 */
export default class DialectImport extends OperatorCommand {
  static commandName = 'dialect:import'
  static description = 'Validate a dialect file and store it for one organisation (new version)'
  static help = ['node ace dialect:import my_congress.yaml --org vote.example.org --name congress']

  @args.string({ description: 'Dialect YAML file' })
  declare file: string

  @flags.string({ description: 'Host name of the organisation', required: true })
  declare org: string

  @flags.string({ description: 'Dialect name (default: the file name without extension)' })
  declare name?: string

  async run() {
    let size: number
    try {
      size = statSync(this.file).size
    } catch {
      throw new OperatorError(`Cannot read ${this.file}`)
    }
    if (size > MAX_DIALECT_BYTES)
      throw new OperatorError(`${this.file} is larger than ${MAX_DIALECT_BYTES} bytes`)
    const organisation = await this.organisationByHost(this.org!)
    const name = this.name ?? dialectNameOf(this.file)
    try {
      const { row, dialect } = await new ImportDialect().execute({
        organisation,
        name,
        yaml: readFileSync(this.file, 'utf8'),
        actor: systemActor('cli'),
      })
      this.logger.success(
        `Imported "${dialect.title}" as ${name} version ${row.version} for ${organisation.title}`
      )
    } catch (error) {
      if (error instanceof DomainError && error.code === 'dialect.invalid') {
        for (const issue of error.details.meta!.issues as DialectIssue[])
          this.logger.error(formatIssue(this.file, issue))
        throw new OperatorError(`${this.file} is not a valid dialect; nothing was imported`)
      }
      throw error
    }
  }
}
