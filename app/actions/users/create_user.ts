import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type Organisation from '#models/organisation'
import User from '#models/user'
import { fieldError } from '#domain/errors'
import { suggestUserid } from '#domain/users/userid'
import { recordAudit, type Actor } from '#services/audit_log'

export interface CreateUserInput {
  organisation: Organisation
  email: string
  firstName?: string
  lastName?: string
  userid?: string
  /** Without a password a one-time password is generated and returned once. */
  password?: string
  actor: Actor
}

/**
 * Creates a user in one organisation (email unique per organisation). A
 * generated one-time password must be changed at first login (api.md §11.6).
 */
export default class CreateUser {
  async execute(input: CreateUserInput) {
    const { organisation, actor } = input
    const email = input.email.trim().toLowerCase()

    return db.transaction(async (trx) => {
      const clash = await User.forOrganisation(organisation.id)
        .where('email', email)
        .useTransaction(trx)
        .first()
      if (clash)
        throw fieldError(
          'email',
          'A user with this email already exists in this organisation',
          'unique'
        )

      const taken = new Set(
        (
          await User.forOrganisation(organisation.id)
            .whereNotNull('userid')
            .select('userid')
            .useTransaction(trx)
        ).map((user) => user.userid!)
      )
      if (input.userid && taken.has(input.userid)) {
        throw fieldError('userid', 'This user id is already taken', 'unique')
      }
      const userid =
        input.userid ??
        suggestUserid(
          [input.firstName, input.lastName].join(' ').trim() || email.split('@')[0],
          taken
        )

      const oneTimePassword = input.password ? null : randomBytes(12).toString('base64url')
      const user = await User.create(
        {
          organisationId: organisation.id,
          email,
          userid,
          firstName: input.firstName ?? '',
          lastName: input.lastName ?? '',
          password: input.password ?? oneTimePassword,
          mustChangePassword: oneTimePassword !== null,
          isActive: true,
          isSuperuser: false,
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, actor, {
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
      })
      return { user, oneTimePassword }
    })
  }
}
