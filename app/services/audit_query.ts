import { DateTime } from 'luxon'
import AuditEntry from '#models/audit_entry'
import { fieldError } from '#domain/errors'

export interface AuditFilters {
  meeting?: number
  model?: string
  object_id?: string
  actor?: number
  action?: string
  event?: string
  since?: string
  until?: string
}

function parseTimestamp(field: string, value: string) {
  const parsed = DateTime.fromISO(value, { zone: 'utc' })
  if (!parsed.isValid)
    throw fieldError(field, `The ${field} field must be an ISO-8601 timestamp`, 'date')
  return parsed.toUTC()
}

/** One filter implementation for the API, the admin screen and audit:export. */
export function auditQuery(organisationId: number, filters: AuditFilters) {
  const query = AuditEntry.forOrganisation(organisationId)
  if (filters.meeting !== undefined) query.where('meeting_id', filters.meeting)
  if (filters.model) query.where('model', filters.model)
  if (filters.object_id) query.where('object_id', filters.object_id)
  if (filters.actor !== undefined) query.where('actor_user_id', filters.actor)
  if (filters.action) query.where('action', filters.action)
  if (filters.event) query.where('event', filters.event)
  // In the dialect's own stored form: SQLite compares text, and "12:00:00" < "12:00:00.000 +00:00".
  const stored = (field: string, value: string) =>
    parseTimestamp(field, value).toFormat(query.client.dialect.dateTimeFormat)
  if (filters.since) query.where('created_at', '>=', stored('since', filters.since))
  if (filters.until) query.where('created_at', '<', stored('until', filters.until))
  return query
}
