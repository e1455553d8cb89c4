import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import RealtimeConnection from '#models/realtime_connection'
import { GroupCommit } from '#services/group_commit'
import { dbTime } from '#services/db_time'

/**
 * Connection tracking (domain §17.5): a row per stream, `last_action` from
 * heartbeats and API requests written at most once per 60 seconds per user
 * and instance, and the stale-connection sweep.
 */
export const LAST_ACTION_INTERVAL_MS = 60_000
export const STALE_AFTER_MS = 3_600_000

const lastTouched = new Map<number, number>()

export async function openConnection(input: {
  organisationId: number
  userId: number
  uid: string
  authRef: string | null
  instance: string
}): Promise<RealtimeConnection> {
  const now = DateTime.utc()
  return RealtimeConnection.create({
    organisationId: input.organisationId,
    userId: input.userId,
    streamUid: input.uid,
    authRef: input.authRef,
    instance: input.instance,
    openedAt: now,
    lastAction: now,
    closedAt: null,
    code: null,
  })
}

export async function closeConnection(organisationId: number, id: number, code: number) {
  await RealtimeConnection.forOrganisation(organisationId)
    .where('id', id)
    .whereNull('closed_at')
    .update({ closedAt: dbTime(DateTime.utc()), code })
}

/**
 * The open streams of a user beyond `limit`, oldest first (the per-user stream
 * limit). Counts first: a user with thousands of streams must not cost
 * thousands of rows on every new one.
 */
export async function streamsBeyondLimit(organisationId: number, userId: number, limit: number) {
  const [{ total }] = await db
    .from('realtime_connections')
    .where('organisation_id', organisationId)
    .where('user_id', userId)
    .whereNull('closed_at')
    .count('* as total')
  const excess = Number(total) - limit
  if (excess <= 0) return []
  return RealtimeConnection.forOrganisation(organisationId)
    .where('user_id', userId)
    .whereNull('closed_at')
    .orderBy('opened_at', 'asc')
    .orderBy('id', 'asc')
    .limit(excess)
}

/**
 * Records activity of a user (heartbeat or authenticated API request). At
 * most one write per user per LAST_ACTION_INTERVAL_MS on this instance; the
 * touches that arrive together are one UPDATE per organisation (group commit).
 */
export async function touchUser(organisationId: number, userId: number, now = Date.now()) {
  const last = lastTouched.get(userId)
  if (last !== undefined && now - last < LAST_ACTION_INTERVAL_MS) return false
  lastTouched.set(userId, now)
  if (lastTouched.size > 100_000) lastTouched.clear()
  await touches.submit(String(organisationId), { organisationId, userId, now })
  return true
}

interface Touch {
  organisationId: number
  userId: number
  now: number
}

const touches = new GroupCommit<Touch, true>(
  async (_key, batch) => {
    const latest = Math.max(...batch.map((touch) => touch.now))
    await RealtimeConnection.forOrganisation(batch[0].organisationId)
      .whereIn(
        'user_id',
        batch.map((touch) => touch.userId)
      )
      .whereNull('closed_at')
      .update({ lastAction: dbTime(DateTime.fromMillis(latest)) })
    return batch.map(() => ({ ok: true as const, value: true as const }))
  },
  { conflictKey: (touch) => touch.userId, maxBatch: 500 }
)

/** Users of the organisation with activity since `since` (open or closed streams). */
export async function recentlyActiveUserIds(
  organisationId: number,
  userIds: number[],
  since: DateTime,
  client?: TransactionClientContract
) {
  if (userIds.length === 0) return new Set<number>()
  const query = RealtimeConnection.forOrganisation(organisationId)
  if (client) query.useTransaction(client)
  const rows = await query
    .whereIn('user_id', userIds)
    .where('last_action', '>=', dbTime(since))
    .distinct('user_id')
  return new Set(rows.map((row) => row.userId))
}

/** The stale-connection job (every 30 minutes): code 1006 on open rows silent for more than an hour. */
export async function closeStaleConnections(now = DateTime.utc()) {
  return RealtimeConnection.acrossOrganisations('housekeeping job over every organisation')
    .whereNull('closed_at')
    .where('last_action', '<', dbTime(now.minus({ milliseconds: STALE_AFTER_MS })))
    .update({ closedAt: dbTime(now), code: 1006 })
}

export function forgetTouches() {
  lastTouched.clear()
}
