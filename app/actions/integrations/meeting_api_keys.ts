import { randomBytes, randomUUID } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import User from '#models/user'
import MeetingApiKey, { hashKeySecret } from '#models/meeting_api_key'
import { DomainError } from '#domain/errors'
import {
  keyExpiry,
  MAX_ACTIVE_KEYS_PER_MEETING,
  normaliseScopes,
  type TokenApiScope,
} from '#domain/integrations/api_keys'
import { recordAudit, type Actor } from '#services/audit_log'
import { dbTime } from '#services/db_time'

const iso = (value: DateTime | null) => (value ? value.toUTC().toISO() : null)

/** A new key and its raw value `prefix.secret`, which is never stored and shown once. */
export interface IssuedKey {
  key: MeetingApiKey
  raw: string
}

/**
 * Creates the key's dedicated inactive system user and the key row, with
 * audit entries for both. Expects the meeting row to be locked by the caller
 * so that the active-key limit cannot be raced past.
 */
async function issue(
  trx: TransactionClientContract,
  meeting: Meeting,
  name: string,
  scopes: TokenApiScope[],
  actor: Actor,
  replacing: MeetingApiKey | null = null
): Promise<IssuedKey> {
  const now = DateTime.utc()
  const active = await MeetingApiKey.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .whereNull('revoked')
    .where('expiry', '>', dbTime(now))
    .if(replacing, (query) => query.whereNot('id', replacing!.id))
    .useTransaction(trx)
  if (active.length >= MAX_ACTIVE_KEYS_PER_MEETING) {
    throw new DomainError(
      'api_key.limit_reached',
      `A meeting can have at most ${MAX_ACTIVE_KEYS_PER_MEETING} active API keys; revoke one first`,
      { meta: { limit: MAX_ACTIVE_KEYS_PER_MEETING } }
    )
  }

  const userid = `apikey-${randomUUID()}`
  const user = await User.create(
    {
      organisationId: meeting.organisationId,
      userid,
      firstName: name.slice(0, 100),
      lastName: '',
      email: null,
      password: null,
      mustChangePassword: false,
      isActive: false,
      isSuperuser: false,
      rev: 1,
    },
    { client: trx }
  )
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: 'create',
    event: 'user.created',
    model: 'User',
    objectId: user.id,
    changes: { userid: [null, userid], is_active: [null, false] },
  })

  // The prefix is public (listed, used in URLs); the secret is 256 random bits.
  const prefix = randomBytes(9).toString('base64url')
  const secret = randomBytes(32).toString('base64url')
  const normalised = normaliseScopes(scopes)
  const key = await MeetingApiKey.create(
    {
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      userId: user.id,
      prefix,
      secretHash: hashKeySecret(secret),
      name,
      scopes: normalised,
      expiry: DateTime.fromJSDate(keyExpiry(now.toJSDate())).toUTC(),
      revoked: null,
      lastUsed: null,
    },
    { client: trx }
  )
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: 'create',
    event: 'meeting_api_key.created',
    model: 'MeetingAPIKey',
    objectId: key.id,
    changes: {
      name: [null, name],
      scopes: [null, normalised],
      expiry: [null, iso(key.expiry)],
      revoked: [null, null],
      prefix: [null, prefix],
      user: [null, user.id],
    },
  })
  return { key, raw: `${prefix}.${secret}` }
}

async function lockMeeting(
  trx: TransactionClientContract,
  organisationId: number,
  meetingId: number
) {
  return Meeting.forOrganisation(organisationId)
    .where('id', meetingId)
    .useTransaction(trx)
    .forUpdate()
    .firstOrFail()
}

/** POST /api/meeting-api-keys (domain §18.2). Permission (moderator, meeting active) is checked by the caller. */
export class IssueMeetingApiKey {
  async execute(input: {
    meeting: Meeting
    name: string
    scopes: TokenApiScope[]
    actor: Actor
  }): Promise<IssuedKey> {
    return db.transaction(async (trx) => {
      const meeting = await lockMeeting(trx, input.meeting.organisationId, input.meeting.id)
      return issue(trx, meeting, input.name, input.scopes, input.actor)
    })
  }
}

/**
 * DELETE /api/meeting-api-keys/{prefix}: the key is kept with `revoked` set,
 * so the audit trail still resolves it. Revoking twice changes nothing.
 */
export class RevokeMeetingApiKey {
  async execute({ key, actor }: { key: MeetingApiKey; actor: Actor }) {
    return db.transaction(async (trx) => {
      const row = await MeetingApiKey.forOrganisation(key.organisationId)
        .where('id', key.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      if (row.revoked) return row
      row.revoked = DateTime.utc()
      await row.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: row.organisationId,
        meetingId: row.meetingId,
        action: 'update',
        event: 'meeting_api_key.revoked',
        model: 'MeetingAPIKey',
        objectId: row.id,
        changes: { revoked: [null, iso(row.revoked)] },
      })
      return row
    })
  }
}

/**
 * POST /api/meeting-api-keys/{prefix}/cycle: a fresh key (new system user,
 * new secret, new expiry, same name and scopes); the old record is deleted,
 * its system user stays for the audit trail.
 */
export class CycleMeetingApiKey {
  async execute({ key, actor }: { key: MeetingApiKey; actor: Actor }): Promise<IssuedKey> {
    return db.transaction(async (trx) => {
      const meeting = await lockMeeting(trx, key.organisationId, key.meetingId)
      const old = await MeetingApiKey.forOrganisation(key.organisationId)
        .where('id', key.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      // A revoked key stays revoked; expired keys may be renewed this way.
      if (old.revoked)
        throw new DomainError('api_key.revoked', 'A revoked key cannot be cycled; create a new one')
      const issued = await issue(trx, meeting, old.name, old.scopes, actor, old)
      await old.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: old.organisationId,
        meetingId: old.meetingId,
        action: 'delete',
        event: 'meeting_api_key.cycled',
        model: 'MeetingAPIKey',
        objectId: old.id,
        changes: {
          name: [old.name, null],
          scopes: [old.scopes, null],
          expiry: [iso(old.expiry), null],
          revoked: [iso(old.revoked), null],
          replaced_by: [null, issued.key.prefix],
        },
      })
      return issued
    })
  }
}

/** A key's use of the token API (reads are audited as `access`, domain §19.1). */
export async function recordKeyAccess(
  key: MeetingApiKey,
  actor: Actor,
  event: string,
  model: string,
  objectId: number | string | null,
  changes: Record<string, [unknown, unknown]> = {}
) {
  await db.transaction(async (trx) => {
    await recordAudit(trx, actor, {
      organisationId: key.organisationId,
      meetingId: key.meetingId,
      action: 'access',
      event,
      model,
      objectId,
      changes,
    })
  })
}
