import { createHash } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { DomainError } from '#domain/errors'
import { isUniqueViolation } from '#services/unique_violation'
import { dbTime } from '#services/db_time'

/** How long a key's answer is kept (api.md §1: 24 hours per user). */
export const IDEMPOTENCY_TTL_HOURS = 24
const TABLE = 'idempotency_keys'
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

interface StoredKey {
  id: number
  fingerprint: string
  status: number | null
  content_type: string | null
  body: string | null
  created_at: string | Date
}

/**
 * `Idempotency-Key` on authenticated POST requests (api.md §1). The first
 * request with a key claims it (a row, unique per user and key), runs, and its
 * answer is stored; a repeat of the same request gets that answer again
 * (`Idempotent-Replayed: true`) without running anything. The same key with a
 * different request is a 422; a repeat while the first still runs is a 409.
 * Server errors (5xx) release the key, so the request can be retried.
 */
export async function withIdempotency(ctx: HttpContext, next: NextFn) {
  const key = ctx.request.header('idempotency-key')
  const user = ctx.currentUser
  if (key === undefined || ctx.request.method() !== 'POST' || !user) return next()
  if (!KEY_PATTERN.test(key)) {
    throw new DomainError(
      'validation.failed',
      'Idempotency-Key must be 1 to 255 visible ASCII characters',
      { field: 'Idempotency-Key', rule: 'idempotency_key' }
    )
  }
  const fingerprint = createHash('sha256')
    .update(`${ctx.request.method()} ${ctx.request.url(true)}\n`)
    .update(ctx.request.raw() ?? JSON.stringify(ctx.request.all()))
    .digest('hex')

  const claimed = await claim(ctx.organisation.id, user.id, key, fingerprint)
  if (claimed.replay) {
    const stored = claimed.replay
    ctx.response.header('Idempotent-Replayed', 'true')
    if (stored.content_type) ctx.response.header('Content-Type', stored.content_type)
    return ctx.response.status(stored.status!).send(stored.body ?? '')
  }

  try {
    await next()
  } catch (error) {
    await release(claimed.id)
    throw error
  }
  const status = ctx.response.getStatus()
  if (status >= 500) {
    await release(claimed.id)
    return
  }
  const body = ctx.response.getBody()
  await db
    .from(TABLE)
    .where('id', claimed.id)
    .update({
      status,
      content_type: String(ctx.response.getHeader('content-type') ?? 'application/json'),
      body:
        body === undefined || body === null
          ? ''
          : typeof body === 'string'
            ? body
            : JSON.stringify(body),
    })
}

async function claim(
  organisationId: number,
  userId: number,
  key: string,
  fingerprint: string
): Promise<{ id: number; replay?: undefined } | { id: number; replay: StoredKey }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [row] = await db
        .table(TABLE)
        .insert({
          organisation_id: organisationId,
          user_id: userId,
          key,
          fingerprint,
          created_at: dbTime(),
        })
        .returning('id')
      return { id: Number(typeof row === 'object' ? row.id : row) }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      // Lost a second race (after an expired or vanished key): another request holds it now.
      if (attempt > 0) throw inProgress()
    }
    const existing: StoredKey | null = await db
      .from(TABLE)
      .where('user_id', userId)
      .where('key', key)
      .first()
    if (!existing) continue
    if (isExpired(existing)) {
      await db.from(TABLE).where('id', existing.id).delete()
      continue
    }
    if (existing.fingerprint !== fingerprint) {
      throw new DomainError(
        'idempotency.key_reused',
        'This Idempotency-Key was used for a different request',
        { field: 'Idempotency-Key', rule: 'idempotency_key' }
      )
    }
    if (existing.status === null) throw inProgress()
    return { id: existing.id, replay: existing }
  }
}

const inProgress = () =>
  new DomainError('idempotency.in_progress', 'A request with this Idempotency-Key is still running')

function isExpired(row: StoredKey) {
  const created =
    row.created_at instanceof Date
      ? DateTime.fromJSDate(row.created_at)
      : DateTime.fromSQL(String(row.created_at), { zone: 'utc' })
  return created < DateTime.utc().minus({ hours: IDEMPOTENCY_TTL_HOURS })
}

async function release(id: number) {
  await db.from(TABLE).where('id', id).delete()
}

/** Deletes the answers older than the TTL (`idempotency:purge`). */
export async function purgeIdempotencyKeys(now = DateTime.utc()) {
  const cutoff = now.minus({ hours: IDEMPOTENCY_TTL_HOURS })
  return db.from(TABLE).where('created_at', '<', dbTime(cutoff)).delete()
}
