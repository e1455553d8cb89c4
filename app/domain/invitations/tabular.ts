/**
 * Tabular invite input (domain §16.3, api.md §6.11): CSV or TSV text with a header line naming
 * identity, annotation and `roles` columns; blank lines allowed. Framework-free (csv-parse only).
 */
import { parse } from 'csv-parse/sync'
import { DomainError } from '../errors.js'
import type { RawInviteRow } from './pipeline.js'

export type TabularFormat = 'csv' | 'tsv'

/** Uploaded invite files and pasted text: the 2 MB upload limit of domain §21 applies here too. */
export const MAX_INVITE_FILE_BYTES = 2 * 1024 * 1024

export interface TabularRows {
  rows: RawInviteRow[]
  /** file line of each row (1-based; the header is line 1) */
  lines: number[]
  columns: string[]
}

/** Tab in the header line → TSV; otherwise `;` when it has more of them than `,` (spreadsheet CSV). */
export function detectDelimiter(text: string, format?: TabularFormat): string {
  if (format === 'tsv') return '\t'
  const header = text.split(/\r?\n/, 1)[0] ?? ''
  if (format !== 'csv' && header.includes('\t')) return '\t'
  const semicolons = header.split(';').length
  const commas = header.split(',').length
  return semicolons > commas ? ';' : ','
}

export function parseInviteTable(text: string, format?: TabularFormat): TabularRows {
  const source = text.replace(/^\uFEFF/, '')
  const delimiter = detectDelimiter(source, format)
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(source, {
      delimiter,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
      info: true,
      // TSV from spreadsheets does not quote; a stray quote must not swallow lines.
      quote: delimiter === '\t' ? false : '"',
    }) as unknown as { record: string[]; info: { lines: number } }[]
  } catch (error) {
    const err = error as { message: string; lines?: number }
    throw new DomainError('invites.unreadable_file', `The file could not be read: ${err.message}`, {
      field: 'file',
      meta: { line: err.lines ?? null },
    })
  }
  if (records.length === 0) {
    throw new DomainError('invites.unreadable_file', 'The file is empty', {
      field: 'file',
      meta: { line: null },
    })
  }
  const columns = records[0].record.map((name) => name.trim().toLowerCase())
  const duplicate = columns.find((name, index) => columns.indexOf(name) !== index)
  if (duplicate !== undefined) {
    throw new DomainError(
      'invites.unreadable_file',
      `The column "${duplicate}" appears twice in the header`,
      {
        field: 'file',
        meta: { line: 1 },
      }
    )
  }
  if (columns.some((name) => name === '')) {
    throw new DomainError('invites.unreadable_file', 'The header has an empty column name', {
      field: 'file',
      meta: { line: 1 },
    })
  }
  // Step 1 of the pipeline for tables: a grouprole column must follow a group column (domain §16.3).
  const grouprole = columns.indexOf('grouprole')
  if (grouprole >= 0 && !(columns.indexOf('group') >= 0 && columns.indexOf('group') < grouprole)) {
    throw new DomainError(
      'validation.failed',
      'The grouprole column must come after a group column',
      {
        field: 'file',
        rule: 'column_order',
        meta: { line: 1 },
      }
    )
  }
  const rows: RawInviteRow[] = []
  const lines: number[] = []
  for (const { record, info } of records.slice(1)) {
    if (record.every((cell) => cell === '')) continue
    const row: RawInviteRow = {}
    columns.forEach((column, index) => {
      if (record[index] !== '') row[column] = record[index]
    })
    rows.push(row)
    lines.push(info.lines)
  }
  return { rows, lines, columns }
}
