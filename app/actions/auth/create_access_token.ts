import db from '@adonisjs/lucid/services/db'
import { AccessToken } from '@adonisjs/auth/access_tokens'
import { ACCESS_TOKEN_PREFIX, ACCESS_TOKEN_TYPE, type default as User } from '#models/user'
import { recordAudit, type Actor } from '#services/audit_log'

export interface CreateAccessTokenInput {
  user: User
  name: string
  abilities: ['*'] | ['read']
  expiresInDays: number
  actor: Actor
}

/**
 * Personal bearer token (api.md §3.3); the secret is returned once and stored
 * hashed. The row is inserted here rather than through the auth package's
 * provider so that it shares the audit entry's transaction.
 */
export default class CreateAccessToken {
  async execute({ user, name, abilities, expiresInDays, actor }: CreateAccessTokenInput) {
    return db.transaction(async (trx) => {
      const transient = AccessToken.createTransientToken(user.id, 40, `${expiresInDays} days`)
      const now = new Date()
      const [inserted] = await trx
        .table('auth_access_tokens')
        .insert({
          tokenable_id: user.id,
          type: ACCESS_TOKEN_TYPE,
          name,
          hash: transient.hash,
          abilities: JSON.stringify(abilities),
          created_at: now,
          updated_at: now,
          last_used_at: null,
          expires_at: transient.expiresAt ?? null,
        })
        .returning('id')
      const id = typeof inserted === 'object' ? inserted.id : inserted
      const token = new AccessToken({
        identifier: id,
        tokenableId: user.id,
        type: ACCESS_TOKEN_TYPE,
        prefix: ACCESS_TOKEN_PREFIX,
        secret: transient.secret,
        name,
        hash: transient.hash,
        abilities,
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
        expiresAt: transient.expiresAt ?? null,
      })
      await recordAudit(trx, actor, {
        organisationId: user.organisationId,
        action: 'create',
        event: 'access_token.created',
        model: 'AccessToken',
        objectId: id,
        changes: { name: [null, name], abilities: [null, abilities], user: [null, user.id] },
      })
      return token
    })
  }
}
