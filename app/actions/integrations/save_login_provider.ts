import db from '@adonisjs/lucid/services/db'
import type Organisation from '#models/organisation'
import OAuth2Provider from '#models/oauth2_provider'
import { fieldError } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { forgetDiscovery } from '#services/oidc/discovery'

export interface LoginProviderSettings {
  provider_id: string
  title?: string
  oidc_endpoint: string
  client_id: string
  client_secret?: string
  scope?: string
  pkce?: boolean
  primary?: boolean
  hidden?: boolean
  /** '' clears it */
  superuser_claim?: string
}

const TRACKED = [
  'title',
  'oidc_endpoint',
  'client_id',
  'scope',
  'pkce',
  'primary',
  'hidden',
  'superuser_claim',
] as const

const snapshot = (row: OAuth2Provider) => ({
  title: row.title,
  oidc_endpoint: row.oidcEndpoint,
  client_id: row.clientId,
  scope: row.scope,
  pkce: row.pkce,
  primary: row.primary,
  hidden: row.hidden,
  superuser_claim: row.superuserClaim ?? null,
})

/**
 * Creates or updates an organisation's login provider by its `provider_id`
 * (domain §6.4). The client secret is encrypted before it is stored and never
 * written to the audit log (a change shows as `***`). At most one provider is
 * primary: making one primary clears the flag on the others.
 */
export default class SaveLoginProvider {
  async execute({
    organisation,
    settings,
    actor,
  }: {
    organisation: Organisation
    settings: LoginProviderSettings
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      let row = await OAuth2Provider.forOrganisation(organisation.id)
        .where('provider_id', settings.provider_id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      const before = row ? snapshot(row) : null
      if (!row) {
        if (!settings.client_secret)
          throw fieldError('client_secret', 'A new provider needs a client secret', 'required')
        row = new OAuth2Provider()
        row.organisationId = organisation.id
        row.providerId = settings.provider_id
        row.kind = 'oidc'
        row.title = ''
        row.scope = 'openid email profile'
        row.pkce = true
        row.primary = false
        row.hidden = false
        row.superuserClaim = null
      }
      row.oidcEndpoint = settings.oidc_endpoint
      row.clientId = settings.client_id
      if (settings.title !== undefined) row.title = settings.title
      if (settings.scope !== undefined) row.scope = settings.scope
      if (settings.pkce !== undefined) row.pkce = settings.pkce
      if (settings.primary !== undefined) row.primary = settings.primary
      if (settings.hidden !== undefined) row.hidden = settings.hidden
      if (settings.superuser_claim !== undefined)
        row.superuserClaim = settings.superuser_claim || null
      if (!row.scope.split(/\s+/).includes('openid'))
        throw fieldError('scope', 'The scope must include "openid"', 'openid')
      if (settings.client_secret !== undefined)
        row.clientSecretEncrypted = OAuth2Provider.encryptSecret(settings.client_secret)
      await row.useTransaction(trx).save()

      if (row.primary) {
        const others = await OAuth2Provider.forOrganisation(organisation.id)
          .where('primary', true)
          .whereNot('id', row.id)
          .useTransaction(trx)
        for (const other of others) {
          other.primary = false
          await other.useTransaction(trx).save()
          await recordAudit(trx, actor, {
            organisationId: organisation.id,
            action: 'update',
            event: 'oauth2_provider.updated',
            model: 'OAuth2Provider',
            objectId: other.id,
            changes: { primary: [true, false] },
          })
        }
      }

      const changes = diffFields(before ?? {}, snapshot(row), TRACKED)
      if (settings.client_secret !== undefined)
        changes.client_secret = [before ? '***' : null, '***']
      if (Object.keys(changes).length > 0) {
        await recordAudit(trx, actor, {
          organisationId: organisation.id,
          action: before ? 'update' : 'create',
          event: before ? 'oauth2_provider.updated' : 'oauth2_provider.created',
          model: 'OAuth2Provider',
          objectId: row.id,
          changes: before ? changes : { provider_id: [null, row.providerId], ...changes },
        })
      }
      forgetDiscovery(row.oidcEndpoint)
      return row
    })
  }
}
