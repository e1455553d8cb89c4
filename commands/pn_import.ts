import type { Readable } from 'node:stream'
import { args, flags } from '@adonisjs/core/ace'
import Meeting from '#models/meeting'
import { DomainError } from '#domain/errors'
import { MAX_PN_FILE_BYTES, parsePnFile } from '#domain/participant_numbers/import_file'
import { systemActor } from '#services/audit_log'
import ImportParticipantNumbers from '#actions/participant_numbers/import_participant_numbers'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/**
 * `pn:import -m <meeting> --org <host> [file] [--clear]` (domain §15.5, §22.1):
 * participant numbers from `<number> <email>` lines (docs/commands.md).
 */
export default class PnImport extends OperatorCommand {
  static commandName = 'pn:import'
  static description = 'Import participant numbers ("<number> <email>" lines) into a meeting'
  static help = [
    'node ace pn:import numbers.txt --org vote.example.org -m 12',
    'cat numbers.txt | node ace pn:import --org vote.example.org -m 12 --clear',
  ]

  @args.string({
    description: 'File of "<number> <email>" lines (default: standard input)',
    required: false,
  })
  declare file?: string

  @flags.string({ description: 'Host name of the organisation', required: true })
  declare org: string

  @flags.number({ alias: 'm', description: 'Meeting id', required: true })
  declare meeting: number

  @flags.boolean({ description: 'Delete the numbers of participants not in the file' })
  declare clear?: boolean

  /** Standard input; a seam for tests. */
  stdin: Readable = process.stdin

  async run() {
    const organisation = await this.organisationByHost(this.org!)
    const meeting = await Meeting.findInOrganisation(organisation.id, this.meeting)
    if (!meeting) throw new OperatorError(`No meeting ${this.meeting} in "${organisation.title}"`)
    const parsed = parsePnFile(await this.readInput())
    if (!parsed.ok) throw new OperatorError(`line ${parsed.line}: ${parsed.message}`)
    const result = await new ImportParticipantNumbers()
      .execute({ meeting, lines: parsed.lines, clear: !!this.clear, actor: systemActor('cli') })
      .catch((error: unknown) => {
        // Field `line.4` → "line 4: …"
        if (error instanceof DomainError && error.details.field?.startsWith('line.'))
          throw new OperatorError(`line ${error.details.field.slice(5)}: ${error.message}`)
        throw error
      })
    if (result.systemCreated)
      this.logger.info(`Participant numbers switched on for meeting ${meeting.id}`)
    this.logger.success(
      `Added ${result.added}, changed ${result.changed}, unchanged ${result.unchanged}, removed ${result.removed}`
    )
  }

  private readInput(): Promise<string> {
    return this.readFileOrStdin(this.file, this.stdin, MAX_PN_FILE_BYTES)
  }
}
