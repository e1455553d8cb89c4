import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import { recordAudit, type Actor } from '#services/audit_log'

export interface RevokeAccessTokensInput {
  user: User
  /** One token, or every token of the user when omitted. */
  tokenId?: number | string
  actor: Actor
}

/** Revokes personal tokens (api.md §3.3, logout everywhere §3.1). Returns how many were revoked. */
export default class RevokeAccessTokens {
  async execute({ user, tokenId, actor }: RevokeAccessTokensInput) {
    return db.transaction(async (trx) => {
      const query = trx.from('auth_access_tokens').where('tokenable_id', user.id)
      if (tokenId !== undefined) query.where('id', tokenId)
      const ids = (await query.clone().select('id')).map((row: { id: number }) => row.id)
      if (ids.length === 0) return 0
      await trx.from('auth_access_tokens').whereIn('id', ids).delete()
      for (const id of ids) {
        await recordAudit(trx, actor, {
          organisationId: user.organisationId,
          action: 'delete',
          event: 'access_token.revoked',
          model: 'AccessToken',
          objectId: id,
          changes: { user: [user.id, null] },
        })
      }
      return ids.length
    })
  }
}
