import type AuditEntry from '#models/audit_entry'
import { auditQuery, type AuditFilters } from '#services/audit_query'
import { auditEntryForApi } from '#transformers/audit_entry_transformer'

export const AUDIT_EXPORT_BATCH_SIZE = 1000

/**
 * The entries of one organisation matching the filters, in id order, one
 * batch at a time (keyset pagination on id: every query is `id > last LIMIT
 * n`, so memory stays constant and late pages cost as much as early ones).
 *
 * The export is bounded by the highest id that existed when it started:
 * entries written while it runs are left for the next export instead of
 * making it chase a moving end.
 */
export async function* auditEntryBatches(
  organisationId: number,
  filters: AuditFilters,
  batchSize = AUDIT_EXPORT_BATCH_SIZE
): AsyncGenerator<AuditEntry[]> {
  const top = await auditQuery(organisationId, filters)
    .max('id as maxId')
    .pojo<{ maxId: number | string | null }>()
    .first()
  const maxId = top?.maxId === null || top?.maxId === undefined ? 0 : Number(top.maxId)
  let lastId = 0
  while (lastId < maxId) {
    const batch = await auditQuery(organisationId, filters)
      .where('id', '>', lastId)
      .where('id', '<=', maxId)
      .orderBy('id', 'asc')
      .limit(batchSize)
    if (batch.length === 0) return
    yield batch
    lastId = Number(batch[batch.length - 1].id)
  }
}

/** Number of entries an export with these filters will hold (for progress lines). */
export async function countAuditEntries(organisationId: number, filters: AuditFilters) {
  const row = await auditQuery(organisationId, filters)
    .count('* as total')
    .pojo<{ total: number | string }>()
    .first()
  return Number(row?.total ?? 0)
}

/**
 * CSV columns of audit:export, in order (docs/commands.md). Stable: new
 * columns are only ever appended. `changes` holds the JSON of `{field: [old, new]}`.
 */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'created',
  'organisation',
  'meeting',
  'agenda_item',
  'action',
  'event',
  'model',
  'object_id',
  'actor',
  'api_key',
  'source',
  'remote_addr',
  'request_id',
  'changes',
] as const

export type AuditCsvRecord = Record<(typeof AUDIT_CSV_COLUMNS)[number], string | number | null>

/** One CSV record: the API shape (api.md §6.20) with `changes` as JSON text. */
export function auditCsvRecord(entry: AuditEntry): AuditCsvRecord {
  const shape = auditEntryForApi(entry)
  return { ...shape, changes: JSON.stringify(shape.changes) }
}

/** One JSON Lines record: the API shape (api.md §6.20). */
export function auditJsonLine(entry: AuditEntry): string {
  return JSON.stringify(auditEntryForApi(entry))
}
