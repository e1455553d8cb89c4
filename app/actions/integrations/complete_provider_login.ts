import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Organisation from '#models/organisation'
import OAuth2Provider from '#models/oauth2_provider'
import User from '#models/user'
import UserConnection from '#models/user_connection'
import PartialLogin from '#models/partial_login'
import OrganisationRole from '#models/organisation_role'
import { addRoles, organisationRoles } from '#domain/permissions/roles'
import { suggestUserid } from '#domain/users/userid'
import { recordAudit, type Actor } from '#services/audit_log'
import { dbTime } from '#services/db_time'

/** What the provider vouched for, already verified by the driver. */
export interface ProviderProfile {
  uid: string
  name: string
  firstName: string
  lastName: string
  email: string | null
  emailVerified: boolean
  avatarUrl: string | null
  claims: Record<string, unknown>
}

export type ProviderLoginResult =
  | { kind: 'login'; user: User; created: boolean; linked: boolean }
  | { kind: 'connected'; user: User }
  | { kind: 'choose'; token: string }
  | { kind: 'failed'; message: string; reason: string }

export interface CompleteProviderLoginInput {
  organisation: Organisation
  provider: OAuth2Provider
  profile: ProviderProfile
  /** Set when the flow was started with ?connect=1 by a logged-in user. */
  connectUserId: number | null
  next: string
  actor: Actor
}

const fail = (reason: string, message: string): ProviderLoginResult => ({
  kind: 'failed',
  reason,
  message,
})

/** Partial logins older than this are ignored (and purged by the daily job). */
export const PARTIAL_LOGIN_MINUTES = 15
export function partialLoginCutoff(): string {
  return dbTime(DateTime.utc().minus({ minutes: PARTIAL_LOGIN_MINUTES }))
}

export const hashPartialToken = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * Finds or creates the local account for a provider login (domain §6.4):
 * 1. a known connection (provider + subject) logs in its user;
 * 2. `connect` links the login to the logged-in user;
 * 3. otherwise accounts are matched by the **verified** email within the
 *    host's organisation: one match is linked, several pause the login at
 *    "which account is yours?", none creates the user when the organisation
 *    allows it. Unverified emails never match and are never stored.
 */
export default class CompleteProviderLogin {
  async execute(input: CompleteProviderLoginInput): Promise<ProviderLoginResult> {
    const { organisation, provider, profile, actor } = input
    return db.transaction(async (trx) => {
      const existing = await UserConnection.forOrganisation(organisation.id)
        .where('oauth2_provider_id', provider.id)
        .where('uid', profile.uid)
        .useTransaction(trx)
        .forUpdate()
        .first()

      if (input.connectUserId !== null) {
        const owner = await User.forOrganisation(organisation.id)
          .where('id', input.connectUserId)
          .useTransaction(trx)
          .first()
        if (!owner)
          return fail('connect.unknown_user', 'Log in again before connecting a login method.')
        if (existing && existing.userId !== owner.id) {
          return fail('connect.taken', 'This login is already connected to another account.')
        }
        if (!existing) await this.connect(trx, owner, provider, profile, actor)
        return { kind: 'connected', user: owner }
      }

      if (existing) {
        const user = await User.forOrganisation(organisation.id)
          .where('id', existing.userId)
          .useTransaction(trx)
          .firstOrFail()
        if (!user.isActive) return fail('user.inactive', 'Your account is inactive.')
        existing.extraData = profile.claims
        existing.extraDataAt = DateTime.utc()
        existing.lastLogin = DateTime.utc()
        await existing.useTransaction(trx).save()
        await this.touch(trx, user, profile)
        await grantSuperuserBump(trx, provider, profile.claims, user, actor)
        return { kind: 'login', user, created: false, linked: false }
      }

      const candidates =
        profile.email && profile.emailVerified
          ? await User.forOrganisation(organisation.id)
              .whereRaw('lower(email) = ?', [profile.email.toLowerCase()])
              .useTransaction(trx)
          : []
      const active = candidates.filter((user) => user.isActive)

      if (active.length > 1) {
        const token = randomBytes(32).toString('base64url')
        await PartialLogin.create(
          {
            organisationId: organisation.id,
            oauth2ProviderId: provider.id,
            tokenHash: hashPartialToken(token),
            uid: profile.uid,
            claims: profile.claims,
            candidateUserIds: active.map((user) => user.id),
            next: input.next,
          },
          { client: trx }
        )
        return { kind: 'choose', token }
      }
      if (active.length === 1) {
        const user = active[0]
        await this.connect(trx, user, provider, profile, actor)
        await this.touch(trx, user, profile)
        await grantSuperuserBump(trx, provider, profile.claims, user, actor)
        return { kind: 'login', user, created: false, linked: true }
      }
      if (candidates.length > 0) return fail('user.inactive', 'Your account is inactive.')

      if (!organisation.effectiveSettings.create_users_on_login) {
        return fail(
          'user.not_found',
          'There is no account for you in this organisation, and new accounts are not created on login.'
        )
      }
      const user = await this.createUser(trx, organisation, profile, actor)
      await this.connect(trx, user, provider, profile, { ...actor, userId: user.id })
      await grantSuperuserBump(trx, provider, profile.claims, user, actor)
      return { kind: 'login', user, created: true, linked: true }
    })
  }

  private async createUser(
    trx: TransactionClientContract,
    organisation: Organisation,
    profile: ProviderProfile,
    actor: Actor
  ) {
    const taken = new Set(
      (
        await User.forOrganisation(organisation.id)
          .whereNotNull('userid')
          .select('userid')
          .useTransaction(trx)
      ).map((user) => user.userid!)
    )
    const email = profile.email && profile.emailVerified ? profile.email.toLowerCase() : null
    const base =
      profile.name ||
      [profile.firstName, profile.lastName].join(' ').trim() ||
      email?.split('@')[0] ||
      'user'
    const userid = suggestUserid(base, taken)
    const user = await User.create(
      {
        organisationId: organisation.id,
        email,
        userid,
        firstName: profile.firstName.slice(0, 100),
        lastName: profile.lastName.slice(0, 100),
        password: null,
        mustChangePassword: false,
        imgUrl: profile.avatarUrl?.slice(0, 1000) ?? null,
        isActive: true,
        isSuperuser: false,
        lastLogin: DateTime.utc(),
        rev: 1,
      },
      { client: trx }
    )
    // The new user is its own actor: nobody else was logged in.
    await recordAudit(
      trx,
      { ...actor, userId: user.id },
      {
        organisationId: organisation.id,
        action: 'create',
        event: 'user.created',
        model: 'User',
        objectId: user.id,
        changes: {
          email: [null, email],
          userid: [null, userid],
          first_name: [null, user.firstName],
          last_name: [null, user.lastName],
        },
      }
    )
    return user
  }

  private async connect(
    trx: TransactionClientContract,
    user: User,
    provider: OAuth2Provider,
    profile: ProviderProfile,
    actor: Actor
  ) {
    const connection = await UserConnection.create(
      {
        organisationId: user.organisationId,
        userId: user.id,
        oauth2ProviderId: provider.id,
        uid: profile.uid,
        extraData: profile.claims,
        extraDataAt: DateTime.utc(),
        lastLogin: DateTime.utc(),
      },
      { client: trx }
    )
    // During a login nobody is logged in yet: the person linking is the actor.
    await recordAudit(
      trx,
      { ...actor, userId: actor.userId ?? user.id },
      {
        organisationId: user.organisationId,
        action: 'create',
        event: 'user_connection.created',
        model: 'UserConnection',
        objectId: connection.id,
        changes: {
          user: [null, user.id],
          provider: [null, provider.providerId],
          uid: [null, profile.uid],
        },
      }
    )
    return connection
  }

  /** Login bookkeeping: last_login and the avatar the provider supplies. */
  private async touch(trx: TransactionClientContract, user: User, profile: ProviderProfile) {
    user.lastLogin = DateTime.utc()
    if (profile.avatarUrl) user.imgUrl = profile.avatarUrl.slice(0, 1000)
    await user.useTransaction(trx).save()
  }
}

/**
 * The permission bump (domain §6.4): when the provider is trusted for it
 * (`superuser_claim` set) and states that the person is a superuser of the
 * identity service, the local user gets `org_manager`. Only ever grants; in
 * the login's transaction, audited like any organisation role change.
 */
async function grantSuperuserBump(
  trx: TransactionClientContract,
  provider: OAuth2Provider,
  claims: Record<string, unknown>,
  user: User,
  actor: Actor
) {
  if (!provider.superuserClaim) return
  const value = claims[provider.superuserClaim]
  if (value !== true && value !== 'true') return
  const row = await OrganisationRole.forOrganisation(user.organisationId)
    .where('user_id', user.id)
    .useTransaction(trx)
    .forUpdate()
    .first()
  const before = row?.assigned ?? []
  const after = addRoles(organisationRoles, before, ['org_manager'])
  if (before.join() === after.join()) return
  let objectId: number
  if (row) {
    row.assigned = after
    await row.useTransaction(trx).save()
    objectId = row.id
  } else {
    const created = await OrganisationRole.create(
      { organisationId: user.organisationId, userId: user.id, assigned: after },
      { client: trx }
    )
    objectId = created.id
  }
  await recordAudit(
    trx,
    { ...actor, userId: actor.userId ?? user.id },
    {
      organisationId: user.organisationId,
      action: row ? 'update' : 'create',
      event: 'organisation_roles.changed',
      model: 'OrganisationRoles',
      objectId,
      changes: {
        user: [user.id, user.id],
        assigned: [before, after],
        reason: [null, `provider:${provider.providerId}`],
      },
    }
  )
}

export interface ChooseLinkedAccountInput {
  organisation: Organisation
  token: string
  userId: number
  actor: Actor
}

/**
 * Completes a paused login with the account the person chose (one of the
 * candidates matched by their verified email). Partial logins expire after
 * 15 minutes.
 */
export class ChooseLinkedAccount {
  async execute({ organisation, token, userId, actor }: ChooseLinkedAccountInput) {
    return db.transaction(async (trx) => {
      const pending = await PartialLogin.forOrganisation(organisation.id)
        .where('token_hash', hashPartialToken(token))
        .where('created_at', '>', partialLoginCutoff())
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!pending) return null
      if (!pending.candidateUserIds.includes(userId)) return { pending, user: null }
      const user = await User.forOrganisation(organisation.id)
        .where('id', userId)
        .useTransaction(trx)
        .first()
      if (!user || !user.isActive) return { pending, user: null }
      const provider = await OAuth2Provider.forOrganisation(organisation.id)
        .where('id', pending.oauth2ProviderId)
        .useTransaction(trx)
        .firstOrFail()
      const claims = pending.claims
      const connection = await UserConnection.create(
        {
          organisationId: organisation.id,
          userId: user.id,
          oauth2ProviderId: provider.id,
          uid: pending.uid,
          extraData: claims,
          extraDataAt: DateTime.utc(),
          lastLogin: DateTime.utc(),
        },
        { client: trx }
      )
      await recordAudit(
        trx,
        { ...actor, userId: user.id },
        {
          organisationId: organisation.id,
          action: 'create',
          event: 'user_connection.created',
          model: 'UserConnection',
          objectId: connection.id,
          changes: {
            user: [null, user.id],
            provider: [null, provider.providerId],
            uid: [null, pending.uid],
          },
        }
      )
      user.lastLogin = DateTime.utc()
      await user.useTransaction(trx).save()
      await grantSuperuserBump(trx, provider, claims, user, actor)
      await pending.useTransaction(trx).delete()
      return { pending, user }
    })
  }
}
