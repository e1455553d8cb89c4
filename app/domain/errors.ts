/**
 * Typed domain errors. Domain code and actions throw these; the exception
 * handler maps them once to HTTP (api.md §4) or to a flash message (admin).
 * Codes are stable (api.md §4.3); messages are for people: the message given
 * here is the English text, other languages are looked up by code (docs/i18n.md).
 */
export interface DomainErrorDetails {
  field?: string
  rule?: string
  meta?: Record<string, unknown>
  /**
   * Values for the translated message (names, numbers) that are not in
   * `meta`; never sent to the client as such (docs/i18n.md).
   */
  params?: Record<string, string | number>
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: DomainErrorDetails = {}
  ) {
    super(message)
    this.name = 'DomainError'
  }
}

/** A field-level rule violation found by an action (not by VineJS). */
export function fieldError(field: string, message: string, rule = 'invalid'): DomainError {
  return new DomainError('validation.failed', message, { field, rule })
}

export const notFound = (what = 'Not found') => new DomainError('not_found', what)

export const permissionDenied = (permission: string) =>
  new DomainError('permission.denied', 'You do not have permission to do that', {
    meta: { permission },
  })

/** HTTP status of each non-422 code family (api.md §4.2, §4.3). */
const statusByCode: Record<string, number> = {
  'not_found': 404,
  'permission.denied': 403,
  'auth.csrf_failed': 403,
  'auth.password_change_required': 403,
  'api_key.scope_missing': 403,
  'auth.unauthenticated': 401,
  'auth.wrong_organisation': 401,
  'auth.organisation_inactive': 401,
  'auth.user_inactive': 401,
  'api_key.invalid': 401,
  'request.already_running': 409,
  'idempotency.in_progress': 409,
  'conflict': 409,
  'realtime.replay_unavailable': 410,
  'invite.token_unavailable': 410,
  'payload.too_large': 413,
  'throttled': 429,
  'request.cooldown': 429,
  'realtime.busy': 503,
  'bad_request': 400,
}

export function statusForCode(code: string): number {
  return statusByCode[code] ?? 422
}
