import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type Organisation from '#models/organisation'
import User from '#models/user'
import { notFound } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'

export interface ResetUserPasswordInput {
  organisation: Organisation
  userId: number
  actor: Actor
}

/**
 * A manager gives a user a new one-time password (returned once, never
 * stored in clear text or in the audit log); the user must choose a new
 * password at their next login, as after CreateUser without a password.
 */
export default class ResetUserPassword {
  async execute({ organisation, userId, actor }: ResetUserPasswordInput) {
    return db.transaction(async (trx) => {
      const user = await User.forOrganisation(organisation.id)
        .where('id', userId)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!user) throw notFound('No such user in this organisation')

      const oneTimePassword = randomBytes(12).toString('base64url')
      const mustChangeBefore = user.mustChangePassword
      user.password = oneTimePassword
      user.mustChangePassword = true
      user.rev += 1
      await user.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: organisation.id,
        action: 'update',
        event: 'user.password_reset',
        model: 'User',
        objectId: user.id,
        // The event says what happened; no password, not even hashed, goes into the log.
        changes: mustChangeBefore ? {} : { must_change_password: [false, true] },
      })
      return { user, oneTimePassword }
    })
  }
}
