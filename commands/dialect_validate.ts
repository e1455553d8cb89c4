import { readFileSync } from 'node:fs'
import { args } from '@adonisjs/core/ace'
import { dialectNameOf } from '#domain/dialects/directory'
import {
  formatIssue,
  parseDialect,
  resolveDialect,
  type ParsedDialect,
} from '#domain/dialects/dialect'
import { dialectDirectory } from '#services/dialects'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/**
 * `dialect:validate <file>…` (domain §22.1): checks dialect files, their requirements and their
 * scripts. Every problem is printed as `file:line:column key: message [code]`; exit code 1 when any
 * file is invalid. Without files it checks every file of MEETING_DIALECTS_DIR.
 */
export default class DialectValidate extends OperatorCommand {
  static commandName = 'dialect:validate'
  static description = 'Validate dialect YAML files (errors name the line and key)'
  static help = [
    'node ace dialect:validate dialect-configs/party_congress.yaml',
    'node ace dialect:validate',
  ]

  @args.spread({
    description: 'Dialect files (default: every file of the dialect directory)',
    required: false,
  })
  declare files?: string[]

  async run() {
    const directory = dialectDirectory()
    directory.refresh(true)
    const paths = this.files?.length ? this.files : directory.all().map((file) => file.path)
    if (paths.length === 0) throw new OperatorError('No dialect files found')

    // The given files may require each other and the installed files.
    const given = new Map<string, ParsedDialect>()
    let failures = 0
    const sources = new Map<string, string>()
    for (const path of paths) {
      let source: string
      try {
        source = readFileSync(path, 'utf8')
      } catch {
        this.logger.error(`${path}: cannot read the file`)
        failures++
        continue
      }
      sources.set(path, source)
      const result = parseDialect(source, dialectNameOf(path))
      if (result.ok) given.set(result.value.dialect.name, result.value)
      else {
        failures++
        for (const issue of result.issues) this.logger.error(formatIssue(path, issue))
      }
    }
    const files = directory.byName()
    for (const path of sources.keys()) {
      const name = dialectNameOf(path)
      if (!given.has(name)) continue
      const resolved = resolveDialect(
        name,
        (candidate) => given.get(candidate) ?? files.get(candidate)
      )
      if (!resolved.ok) {
        failures++
        given.delete(name)
        for (const issue of resolved.issues) this.logger.error(formatIssue(path, issue))
      } else {
        this.logger.success(`${path}: ${resolved.dialect.title} (${name}) is valid`)
      }
    }
    if (failures > 0) {
      this.logger.error(`${failures} of ${paths.length} file(s) invalid`)
      this.exitCode = 1
    }
  }
}
