import db from '@adonisjs/lucid/services/db'
import OAuth2Provider from '#models/oauth2_provider'
import UserConnection from '#models/user_connection'
import { recordAudit, type Actor } from '#services/audit_log'

/**
 * Deletes a login provider with the connections made through it (domain
 * §6.4). Users keep their accounts; they log in again through another method
 * (and are re-linked by verified email if the provider comes back).
 */
export default class DeleteLoginProvider {
  async execute({ provider, actor }: { provider: OAuth2Provider; actor: Actor }) {
    return db.transaction(async (trx) => {
      const row = await OAuth2Provider.forOrganisation(provider.organisationId)
        .where('id', provider.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      const connections = await UserConnection.forOrganisation(row.organisationId)
        .where('oauth2_provider_id', row.id)
        .useTransaction(trx)
      for (const connection of connections) {
        await connection.useTransaction(trx).delete()
        await recordAudit(trx, actor, {
          organisationId: row.organisationId,
          action: 'delete',
          event: 'user_connection.deleted',
          model: 'UserConnection',
          objectId: connection.id,
          changes: {
            user: [connection.userId, null],
            provider: [row.providerId, null],
            uid: [connection.uid, null],
          },
        })
      }
      await row.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: row.organisationId,
        action: 'delete',
        event: 'oauth2_provider.deleted',
        model: 'OAuth2Provider',
        objectId: row.id,
        changes: {
          provider_id: [row.providerId, null],
          oidc_endpoint: [row.oidcEndpoint, null],
          client_id: [row.clientId, null],
          primary: [row.primary, null],
        },
      })
      return { connections: connections.length }
    })
  }
}
