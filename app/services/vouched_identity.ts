import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import UserConnection from '#models/user_connection'
import { createIdentityAdapters } from '#domain/invitations/identity'
import type { InviteeFacts } from '#domain/permissions/invitations'

/**
 * The identity data a user's logins vouch for (domain §16.4): the account email, plus Swedish personal
 * identity numbers and member ids found in the verified claims the login providers gave at the last
 * login (`user_connections.extra_data`). Claim names differ between providers; the common ones are read.
 */
const SSN_CLAIMS = ['swedish_ssn', 'personal_number', 'personnummer', 'ssn']
const MEMBER_CLAIMS = ['member_id', 'membership_number', 'member_number']

export async function vouchedIdentity(
  user: User,
  trx?: TransactionClientContract
): Promise<InviteeFacts> {
  const query = UserConnection.forOrganisation(user.organisationId).where('user_id', user.id)
  if (trx) query.useTransaction(trx)
  const connections = await query
  const adapters = createIdentityAdapters(DateTime.utc().year)
  const ssns = new Set<string>()
  const memberIds = new Set<string>()
  for (const connection of connections) {
    const claims = connection.extraData ?? {}
    for (const name of SSN_CLAIMS) {
      const value = claims[name]
      if (typeof value !== 'string' && typeof value !== 'number') continue
      const normalised = adapters.swedish_ssn.normalise(String(value))
      if ('value' in normalised) ssns.add(normalised.value)
    }
    for (const name of MEMBER_CLAIMS) {
      const value = claims[name]
      if (typeof value !== 'string' && typeof value !== 'number') continue
      const normalised = adapters.member_id.normalise(String(value))
      if ('value' in normalised) memberIds.add(normalised.value)
    }
  }
  return {
    organisationId: user.organisationId,
    email: user.email?.toLowerCase() ?? null,
    swedishSsn: [...ssns],
    memberIds: [...memberIds],
  }
}
