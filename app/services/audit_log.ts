import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditEntry, { type AuditAction, type AuditSource } from '#models/audit_entry'
import { dbTime } from '#services/db_time'

/**
 * Who did something, and through which door. Built once per request (or per
 * command / job) and passed to every action so that audit entries name it.
 */
export interface Actor {
  userId: number | null
  apiKeyId?: number | null
  source: AuditSource
  requestId?: string | null
  remoteAddr?: string | null
}

export const systemActor = (source: AuditSource = 'cli'): Actor => ({ userId: null, source })

export interface AuditRecord {
  organisationId: number
  meetingId?: number | null
  agendaItemId?: number | null
  action: AuditAction
  /** `<subject>.<verb_past>`, e.g. `organisation.updated`, `member.role_changed` */
  event: string
  model: string
  objectId?: number | string | null
  changes?: Record<string, [unknown, unknown]>
}

/**
 * The only writer of audit_entries (domain §19.1). It requires the transaction
 * of the change it records, so an entry exists if and only if the change committed.
 */
export async function recordAudit(
  trx: TransactionClientContract,
  actor: Actor,
  record: AuditRecord
) {
  return AuditEntry.create(auditAttributes(actor, record), { client: trx })
}

export interface AuditRecordOf {
  actor: Actor
  record: AuditRecord
}

/** Several entries in one insert (a batch of votes); same rules as recordAudit. */
export async function recordAudits(trx: TransactionClientContract, entries: AuditRecordOf[]) {
  if (entries.length === 0) return
  const createdAt = dbTime(DateTime.utc(), trx)
  const rows = entries.map(({ actor, record }) => {
    const attributes = auditAttributes(actor, record)
    return {
      organisation_id: attributes.organisationId,
      meeting_id: attributes.meetingId,
      agenda_item_id: attributes.agendaItemId,
      actor_user_id: attributes.actorUserId,
      actor_api_key_id: attributes.actorApiKeyId,
      source: attributes.source,
      action: attributes.action,
      event: attributes.event,
      model: attributes.model,
      object_id: attributes.objectId,
      changes: JSON.stringify(attributes.changes),
      remote_addr: attributes.remoteAddr,
      request_id: attributes.requestId,
      created_at: createdAt,
    }
  })
  await trx.insertQuery().table(AuditEntry.table).multiInsert(rows)
}

function auditAttributes(actor: Actor, record: AuditRecord) {
  return {
    organisationId: record.organisationId,
    meetingId: record.meetingId ?? null,
    agendaItemId: record.agendaItemId ?? null,
    actorUserId: actor.userId,
    actorApiKeyId: actor.apiKeyId ?? null,
    source: actor.source,
    action: record.action,
    event: record.event,
    model: record.model,
    objectId:
      record.objectId === undefined || record.objectId === null ? null : String(record.objectId),
    changes: record.changes ?? {},
    remoteAddr: actor.remoteAddr ?? null,
    requestId: actor.requestId ?? null,
  }
}

/**
 * `{field: [old, new]}` for the tracked fields that differ. Values are compared
 * by their JSON form so arrays and objects compare by content.
 */
export function diffFields<T extends Record<string, unknown>>(
  before: Partial<T>,
  after: Partial<T>,
  fields: readonly (keyof T & string)[]
): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {}
  for (const field of fields) {
    const oldValue = before[field] ?? null
    const newValue = after[field] ?? null
    if (JSON.stringify(oldValue) !== JSON.stringify(newValue)) changes[field] = [oldValue, newValue]
  }
  return changes
}
