import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import UserConnection from '#models/user_connection'
import OAuth2Provider from '#models/oauth2_provider'
import { DomainError, notFound } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'

/**
 * Removes a connected login method (api.md §6.2). The last remaining way to
 * log in (no password and no other connection) cannot be removed (422).
 */
export default class DisconnectConnection {
  async execute({ user, connectionId, actor }: { user: User; connectionId: number; actor: Actor }) {
    return db.transaction(async (trx) => {
      const connections = await UserConnection.forOrganisation(user.organisationId)
        .where('user_id', user.id)
        .useTransaction(trx)
        .forUpdate()
      const connection = connections.find((row) => row.id === connectionId)
      if (!connection) throw notFound()
      if (connections.length === 1 && !user.password) {
        throw new DomainError(
          'connection.last_method',
          'This is your only way to log in; connect another one first'
        )
      }
      const provider = await OAuth2Provider.forOrganisation(user.organisationId)
        .where('id', connection.oauth2ProviderId)
        .useTransaction(trx)
        .firstOrFail()
      await connection.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: user.organisationId,
        action: 'delete',
        event: 'user_connection.deleted',
        model: 'UserConnection',
        objectId: connection.id,
        changes: {
          user: [user.id, null],
          provider: [provider.providerId, null],
          uid: [connection.uid, null],
        },
      })
    })
  }
}
