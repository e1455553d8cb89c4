import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import type { Secret } from '@adonisjs/core/helpers'

/** `last_used_at` is informational; writing it on every request made every API call a write. */
const LAST_USED_RESOLUTION_MS = 60_000

/**
 * The auth package's database token provider, except that it checks the
 * secret and expiry before touching the row, and records `last_used_at` at
 * most once a minute (api.md §3.3 lists it; nothing needs it to the second).
 */
export class ThrottledAccessTokensProvider<
  Model extends LucidModel,
> extends DbAccessTokensProvider<Model> {
  async verify(tokenValue: Secret<string>) {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const db = await this.getDb()
    const row = await db
      .query()
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .first()
    if (!row) return null
    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const lastUsed = row.last_used_at ? new Date(row.last_used_at).getTime() : 0
    if (Date.now() - lastUsed >= LAST_USED_RESOLUTION_MS) {
      const now = new Date()
      await db.from(this.table).where({ id: row.id, type: row.type }).update({ last_used_at: now })
      token.lastUsedAt = now
    }
    return token
  }
}
