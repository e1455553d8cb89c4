import type AuditEntry from '#models/audit_entry'

/** api.md §6.20 */
export function auditEntryForApi(entry: AuditEntry) {
  return {
    id: Number(entry.id),
    created: entry.createdAt.toUTC().toISO(),
    action: entry.action,
    event: entry.event,
    model: entry.model,
    object_id: entry.objectId,
    changes: entry.changes,
    actor: entry.actorUserId,
    api_key: entry.actorApiKeyId,
    source: entry.source,
    organisation: entry.organisationId,
    meeting: entry.meetingId,
    agenda_item: entry.agendaItemId,
    remote_addr: entry.remoteAddr,
    request_id: entry.requestId,
  }
}
