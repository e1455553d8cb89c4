import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { flags } from '@adonisjs/core/ace'
import { stringify } from 'csv-stringify'
import {
  AUDIT_CSV_COLUMNS,
  AUDIT_EXPORT_BATCH_SIZE,
  auditCsvRecord,
  auditEntryBatches,
  auditJsonLine,
  countAuditEntries,
} from '#services/audit_export'
import type { AuditFilters } from '#services/audit_query'
import { auditExportValidator } from '#validators/operator_commands'
import { OperatorCommand } from './_operator_command.js'

/**
 * `audit:export` (domain §22.1, §19.1): streams the audit entries of one
 * organisation as JSON Lines (default) or CSV, in constant memory. Without
 * --out, standard output carries the data and nothing else.
 */
export default class AuditExport extends OperatorCommand {
  static commandName = 'audit:export'
  static description = 'Stream the audit entries of an organisation as JSON Lines or CSV'
  static help = [
    'node ace audit:export --org vote.example.org > audit.jsonl',
    'node ace audit:export --org vote.example.org --meeting 12 --since 2026-01-01T00:00:00Z --format csv --out audit.csv',
  ]

  @flags.string({ description: 'Host name of the organisation (required)' })
  declare org?: string

  @flags.number({ description: 'Only entries of this meeting (id)' })
  declare meeting?: number

  @flags.string({ description: 'Only entries created at or after this ISO-8601 time' })
  declare since?: string

  @flags.string({ description: 'Only entries created before this ISO-8601 time' })
  declare until?: string

  @flags.string({ description: 'jsonl (default) or csv', default: 'jsonl' })
  declare format: string

  @flags.string({
    description: 'Write to this file instead of standard output (progress on standard error)',
  })
  declare out?: string

  @flags.number({
    description: `Entries per database query (default ${AUDIT_EXPORT_BATCH_SIZE})`,
    default: AUDIT_EXPORT_BATCH_SIZE,
  })
  declare batchSize: number

  /** Where the data goes without --out; a seam for tests. Never ended by the command. */
  stdout: Writable = process.stdout

  /** A progress line on stderr after every this many entries (with --out). */
  progressEvery = 10_000

  async run() {
    const input = await auditExportValidator.validate({
      'org': this.org,
      'meeting': this.meeting,
      'since': this.since,
      'until': this.until,
      'format': this.format,
      'out': this.out,
      'batch-size': this.batchSize,
    })
    const organisation = await this.organisationByHost(input.org)
    const filters: AuditFilters = { meeting: input.meeting, since: input.since, until: input.until }
    const file = input.out

    // Progress only when stdout is free of data: a file export can take a while.
    const total = file ? await countAuditEntries(organisation.id, filters) : 0
    let exported = 0
    let nextProgress = this.progressEvery
    const progress = () => {
      if (!file || exported < nextProgress) return
      while (nextProgress <= exported) nextProgress += this.progressEvery
      this.logger.logError(`audit:export: ${exported} of ${total} entries`)
    }

    const batches = auditEntryBatches(organisation.id, filters, input['batch-size'])
    const source =
      input.format === 'csv'
        ? Readable.from(
            (async function* () {
              for await (const batch of batches) {
                for (const entry of batch) yield auditCsvRecord(entry)
                exported += batch.length
                progress()
              }
            })()
          )
        : Readable.from(
            (async function* () {
              for await (const batch of batches) {
                yield batch.map((entry) => auditJsonLine(entry) + '\n').join('')
                exported += batch.length
                progress()
              }
            })(),
            { objectMode: false }
          )
    const writeTo = (destination: Writable, end: boolean) =>
      input.format === 'csv'
        ? pipeline(
            source,
            stringify({ header: true, columns: [...AUDIT_CSV_COLUMNS] }),
            destination,
            { end }
          )
        : pipeline(source, destination, { end })

    if (!file) {
      try {
        await writeTo(this.stdout, false)
      } catch (error) {
        // `audit:export … | head` closes the pipe early: that is the reader's choice, not a failure.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error
      }
      return
    }

    // Written beside the target and renamed at the end, so a failed export never looks complete.
    const partial = `${file}.partial`
    try {
      await writeTo(createWriteStream(partial), true)
      await rename(partial, file)
    } catch (error) {
      await rm(partial, { force: true })
      throw error
    }
    this.logger.success(`Exported ${exported} audit entries of "${organisation.title}" to ${file}`)
  }
}
