import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import OAuth2Provider from '#models/oauth2_provider'
import PartialLogin from '#models/partial_login'
import UserConnection from '#models/user_connection'
import type Organisation from '#models/organisation'
import { givenUser } from '#tests/helpers/world'

/**
 * What the login housekeeping (auth:clear-partial, auth:clear-extra-data and
 * their scheduled jobs) works on: a provider, a stale and a fresh partial
 * login, and a year-old and a recent stored claim set.
 */
export async function givenLoginLeftovers(organisation: Organisation) {
  const provider = new OAuth2Provider()
  provider.merge({
    organisationId: organisation.id,
    providerId: 'idp',
    title: '',
    kind: 'oidc',
    scope: 'openid',
    clientId: 'x',
    clientSecretEncrypted: OAuth2Provider.encryptSecret('y'),
    oidcEndpoint: 'https://idp.example.org',
    pkce: true,
    primary: false,
    hidden: false,
  })
  await provider.save()
  const partial = {
    organisationId: organisation.id,
    oauth2ProviderId: provider.id,
    uid: 's',
    claims: {},
    candidateUserIds: [1],
    next: '/',
  }
  // Token hashes are unique across organisations: fresh ones for every world.
  const tokenHash = () => randomBytes(32).toString('hex')
  const stalePartial = await PartialLogin.create({ ...partial, tokenHash: tokenHash() })
  stalePartial.createdAt = DateTime.utc().minus({ hours: 1 })
  await stalePartial.save()
  const freshPartial = await PartialLogin.create({ ...partial, tokenHash: tokenHash() })

  const user = await givenUser(organisation)
  const connection = (uid: string, days: number) =>
    UserConnection.create({
      organisationId: organisation.id,
      userId: user.id,
      oauth2ProviderId: provider.id,
      uid,
      extraData: { email: `${uid}@example.org` },
      extraDataAt: DateTime.utc().minus({ days }),
    })
  const oldConnection = await connection('old', 400)
  const recentConnection = await connection('recent', 10)
  return { provider, stalePartial, freshPartial, oldConnection, recentConnection }
}
