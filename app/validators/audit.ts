import vine from '@vinejs/vine'

/** ISO-8601 timestamp (api.md §1), e.g. 2026-05-04T12:30:00Z; parsed with luxon by the caller. */
export const isoTimestamp = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/)

export const auditListValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1).optional(),
  model: vine.string().trim().maxLength(60).optional(),
  object_id: vine.string().trim().maxLength(60).optional(),
  actor: vine.number().withoutDecimals().min(1).optional(),
  action: vine.enum(['create', 'update', 'delete', 'access']).optional(),
  event: vine.string().trim().maxLength(100).optional(),
  since: isoTimestamp().optional(),
  until: isoTimestamp().optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
  per_page: vine.number().withoutDecimals().min(1).max(500).optional(),
})
