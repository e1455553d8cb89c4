import { DateTime } from 'luxon'
import PartialLogin from '#models/partial_login'
import UserConnection from '#models/user_connection'
import { PARTIAL_LOGIN_MINUTES } from '#actions/integrations/complete_provider_login'
import { dbTime } from '#services/db_time'

/** Stored provider claims are kept this long after the last login (domain §6.4). */
export const EXTRA_DATA_RETENTION_DAYS = 365

/**
 * Daily 04:40 (domain §22.2), `auth:clear-partial`: deletes logins paused at
 * "which account is yours?" that can no longer be completed. They hold no
 * change of any tracked model, so there is nothing to audit.
 */
export class ClearPartialLogins {
  async execute(now = DateTime.utc()) {
    const rows = await PartialLogin.acrossOrganisations('the daily job purges every organisation')
      .where('created_at', '<=', dbTime(now.minus({ minutes: PARTIAL_LOGIN_MINUTES })))
      .delete()
    return { deleted: Number(Array.isArray(rows) ? rows[0] : rows) || 0 }
  }
}

/**
 * Daily 04:00 (domain §22.2), `auth:clear-extra-data`: forgets the claims a
 * provider sent at a login more than 365 days ago (data minimisation).
 */
export class ClearProviderExtraData {
  async execute(now = DateTime.utc()) {
    const rows = await UserConnection.acrossOrganisations('the daily job clears every organisation')
      .whereNotNull('extra_data_at')
      .where('extra_data_at', '<=', dbTime(now.minus({ days: EXTRA_DATA_RETENTION_DAYS })))
      .update({ extra_data: '{}', extra_data_at: null })
    return { cleared: Number(Array.isArray(rows) ? rows[0] : rows) || 0 }
  }
}
