import { readFile, stat } from 'node:fs/promises'
import { args, flags } from '@adonisjs/core/ace'
import Meeting from '#models/meeting'
import { DomainError } from '#domain/errors'
import { MAX_STRUCTURE_BYTES } from '#domain/meeting_structure/format'
import type { SchemaIssue } from '#domain/dialects/yaml_schema'
import { systemActor } from '#services/audit_log'
import { ImportStructure, readStructure } from '#actions/meeting_structure/import_structure'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/** `meeting:import FILE --org --meeting` (domain §21, §22.1): import a structure file into an upcoming meeting. */
export default class MeetingImport extends OperatorCommand {
  static commandName = 'meeting:import'
  static description = 'Import a meeting structure YAML file into an upcoming meeting'
  static help = [
    'node ace meeting:import agm.yaml --org vote.example.org --meeting 14 --add-participants',
  ]

  @args.string({ description: 'Structure YAML file' })
  declare file: string

  @flags.string({ description: 'Host name of the organisation', required: true })
  declare org: string

  @flags.number({ description: 'Id of the (upcoming) meeting to import into', required: true })
  declare meeting: number

  @flags.boolean({ description: 'Match groups by groupid instead of creating them' })
  declare useExistingGroups?: boolean

  @flags.boolean({ description: 'Referenced users become participants' })
  declare addParticipants?: boolean

  @flags.boolean({
    description: 'Refuse the import when a referenced user does not exist (default: blank them)',
  })
  declare strictUsers?: boolean

  async run() {
    const size = await stat(this.file)
      .then((s) => s.size)
      .catch(() => null)
    if (size === null) throw new OperatorError(`Cannot read ${this.file}`)
    if (size > MAX_STRUCTURE_BYTES) throw new OperatorError(`${this.file} is larger than 2 MB`)
    const organisation = await this.organisationByHost(this.org!)
    const meeting = await Meeting.findInOrganisation(organisation.id, this.meeting)
    if (!meeting) throw new OperatorError(`No meeting ${this.meeting} in "${organisation.title}"`)
    if (meeting.state !== 'upcoming')
      throw new OperatorError('Structure can only be imported into an upcoming meeting')
    try {
      const file = readStructure(await readFile(this.file, 'utf8'))
      const result = await new ImportStructure().execute(
        meeting,
        file,
        {
          use_existing_groups: !!this.useExistingGroups,
          add_participants: !!this.addParticipants,
          missing_users: this.strictUsers ? 'error' : 'blank',
        },
        systemActor('cli')
      )
      for (const problem of result.problems)
        this.logger.warning(`${problem.key}: ${problem.message}`)
      if (!result.signature_valid)
        this.logger.warning(
          'The signature is missing or invalid (the file was edited or made elsewhere)'
        )
      this.logger.success(
        `Imported ${Object.entries(result.created)
          .map(([name, count]) => `${count} ${name}`)
          .join(', ')}`
      )
    } catch (error) {
      if (error instanceof DomainError && error.code === 'structure.invalid') {
        for (const issue of error.details.meta!.issues as SchemaIssue[]) {
          this.logger.error(
            `${this.file}:${issue.line}:${issue.column} ${issue.key}: ${issue.message}`
          )
        }
        throw new OperatorError(
          `${this.file} is not a valid meeting structure; nothing was imported`
        )
      }
      throw error
    }
  }
}
