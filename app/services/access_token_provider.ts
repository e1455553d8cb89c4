import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import type { Secret } from '@adonisjs/core/helpers'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import logger from '@adonisjs/core/services/logger'
import { GroupCommit } from '#services/group_commit'

/** `last_used_at` is informational; writing it on every request made every API call a write. */
const LAST_USED_RESOLUTION_MS = 60_000
const TOKENABLE_PREFIX = 'tokenable__'

/** `last_used_at` of the tokens used at the same moment: one UPDATE (group commit). */
const lastUsedWrites = new GroupCommit<
  { db: QueryClientContract; table: string; id: number; at: Date },
  true
>(
  async (_table, items) => {
    const now = new Date(Math.max(...items.map((item) => item.at.getTime())))
    await items[0].db
      .from(items[0].table)
      .whereIn(
        'id',
        items.map((item) => item.id)
      )
      .update({ last_used_at: now })
    return items.map(() => ({ ok: true as const, value: true as const }))
  },
  { conflictKey: (item) => item.id, maxBatch: 500, concurrency: 2 }
)

/** The token's owner, read in the same query as the token (see tokenableOf). */
const tokenables = new WeakMap<AccessToken, LucidRow>()

/** The owner row loaded together with a token by ThrottledAccessTokensProvider.verify. */
export function tokenableOf(token: AccessToken): LucidRow | undefined {
  return tokenables.get(token)
}

/**
 * The auth package's database token provider, except that
 * - it reads the token and its owner in one query (the owner is handed to the
 *   user provider through tokenableOf, so a bearer request costs one query);
 * - it checks the secret and expiry before touching the row;
 * - it records `last_used_at` at most once a minute (api.md §3.3 lists it;
 *   nothing needs it to the second), for tokens used together in one UPDATE.
 */
export class ThrottledAccessTokensProvider<
  Model extends LucidModel,
> extends DbAccessTokensProvider<Model> {
  async verify(tokenValue: Secret<string>) {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const db = await this.getDb()
    const model = (this as unknown as { options: { tokenableModel: LucidModel } }).options
      .tokenableModel
    const ownerColumns = [...model.$columnsDefinitions.values()].map(
      (definition) =>
        `${model.table}.${definition.columnName} as ${TOKENABLE_PREFIX}${definition.columnName}`
    )
    const joined = await db
      .query()
      .from(this.table)
      .leftJoin(model.table, `${model.table}.${model.primaryKey}`, `${this.table}.tokenable_id`)
      .select(`${this.table}.*`, ...ownerColumns)
      .where(`${this.table}.id`, decoded.identifier)
      .where(`${this.table}.type`, this.type)
      .first()
    if (!joined) return null
    const row: Record<string, unknown> = {}
    const owner: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(joined)) {
      if (key.startsWith(TOKENABLE_PREFIX)) owner[key.slice(TOKENABLE_PREFIX.length)] = value
      else row[key] = value
    }
    const token = this.dbRowToAccessToken(row as never)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const lastUsed = row.last_used_at ? new Date(row.last_used_at as string).getTime() : 0
    if (Date.now() - lastUsed >= LAST_USED_RESOLUTION_MS) {
      // Informational: written after the answer rather than before it.
      token.lastUsedAt = new Date()
      lastUsedWrites
        .submit(this.table, { db, table: this.table, id: Number(row.id), at: token.lastUsedAt })
        .catch((error) => logger.warn({ err: error }, 'recording token last_used_at failed'))
    }
    if (owner[model.primaryKey] !== null && owner[model.primaryKey] !== undefined) {
      tokenables.set(token, model.$createFromAdapterResult(owner)!)
    }
    return token
  }
}
