import type { Readable } from 'node:stream'
import { args, flags } from '@adonisjs/core/ace'
import Meeting from '#models/meeting'
import { MAX_INVITE_FILE_BYTES, parseInviteTable } from '#domain/invitations/tabular'
import { DomainError } from '#domain/errors'
import { splitRolesCell } from '#domain/invitations/pipeline'
import { systemActor } from '#services/audit_log'
import CreateInvites from '#actions/invitations/create_invites'
import { OperatorCommand, OperatorError } from './_operator_command.js'

/**
 * `invite:import -m <meeting> [file] --org <host> [--roles] [--dryrun] [--links]` (domain §22.1):
 * the invitation pipeline of the API for a CSV/TSV file or standard input.
 */
export default class InviteImport extends OperatorCommand {
  static commandName = 'invite:import'
  static description = 'Import invitations (CSV/TSV with a header line) into a meeting'
  static help = [
    'node ace invite:import members.csv --org vote.example.org -m 12 --roles "pa pr di"',
    'cat members.tsv | node ace invite:import --org vote.example.org -m 12 --dryrun',
  ]

  @args.string({ description: 'CSV or TSV file (default: standard input)', required: false })
  declare file?: string

  @flags.string({ description: 'Host name of the organisation', required: true })
  declare org: string

  @flags.number({ alias: 'm', description: 'Meeting id', required: true })
  declare meeting: number

  @flags.string({
    description: 'Roles for rows without a roles column, e.g. "pa pr di" (default pa)',
  })
  declare roles?: string

  @flags.boolean({ description: 'Check and count only; store nothing' })
  declare dryrun?: boolean

  @flags.boolean({ description: 'Also issue invitation links (tokens are printed once)' })
  declare links?: boolean

  /** Standard input; a seam for tests. */
  stdin: Readable = process.stdin

  async run() {
    const organisation = await this.organisationByHost(this.org!)
    const meeting = await Meeting.findInOrganisation(organisation.id, this.meeting)
    if (!meeting) throw new OperatorError(`No meeting ${this.meeting} in "${organisation.title}"`)
    const text = await this.readInput()
    const table = parseInviteTable(
      text,
      this.file?.toLowerCase().endsWith('.tsv') ? 'tsv' : undefined
    )
    const roles = this.roles ? splitRolesCell(this.roles) : ['pa']
    const result = await new CreateInvites()
      .execute({
        organisation,
        meeting,
        rows: table.rows,
        lines: table.lines,
        fieldPrefix: 'line',
        roles,
        dryrun: !!this.dryrun,
        links: !!this.links,
        actor: systemActor('cli'),
      })
      .catch((error: unknown) => {
        // Name the file line: fields look like `line.4.email`, conflicts carry `meta.rows`.
        if (error instanceof DomainError) {
          const rows = error.details.meta?.rows as number[] | undefined
          const where = error.details.field ?? (rows ? `lines ${rows.join(', ')}` : null)
          throw new OperatorError(where ? `${where}: ${error.message}` : error.message)
        }
        throw error
      })
    const { added, changed, existed } = result.invites
    this.logger.success(
      `${result.dryrun ? 'Dry run: would add' : 'Added'} ${added}, changed ${changed}, unchanged ${existed}`
    )
    for (const annotation of result.annotations) {
      this.logger.info(
        `${annotation.name}: added ${annotation.added}, changed ${annotation.changed}, unchanged ${annotation.existed}`
      )
    }
    for (const link of result.links ?? [])
      this.logger.log(`invite ${link.invite}\t${link.token}\t${link.expires}`)
  }

  private readInput(): Promise<string> {
    return this.readFileOrStdin(this.file, this.stdin, MAX_INVITE_FILE_BYTES)
  }
}
