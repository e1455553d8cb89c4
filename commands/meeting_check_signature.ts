import { readFile } from 'node:fs/promises'
import { args } from '@adonisjs/core/ace'
import { signatureValid } from '#domain/meeting_structure/format'
import { exportSecret } from '#services/meeting_structure'
import { readStructure } from '#actions/meeting_structure/import_structure'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/** `meeting:check-signature FILE` (domain §21): is the file unedited output of this installation? */
export default class MeetingCheckSignature extends OperatorCommand {
  static commandName = 'meeting:check-signature'
  static description = 'Check the signature of a meeting structure file'

  @args.string({ description: 'Structure YAML file' })
  declare file: string

  async run() {
    const source = await readFile(this.file, 'utf8').catch(() => null)
    if (source === null) throw new OperatorError(`Cannot read ${this.file}`)
    if (signatureValid(readStructure(source), exportSecret())) {
      this.logger.success(`${this.file}: signature valid`)
    } else {
      this.logger.error(`${this.file}: signature missing or invalid`)
      this.exitCode = 1
    }
  }
}
