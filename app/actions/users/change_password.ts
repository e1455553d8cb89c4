import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { fieldError } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'

export interface ChangePasswordInput {
  user: User
  currentPassword: string
  newPassword: string
  actor: Actor
}

/**
 * A user changes their own password (also how a one-time password printed by
 * org:create / user:create is replaced at first login, api.md §11.6).
 */
export default class ChangePassword {
  async execute({ user, currentPassword, newPassword, actor }: ChangePasswordInput) {
    return db.transaction(async (trx) => {
      const row = await User.forOrganisation(user.organisationId)
        .where('id', user.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      if (!row.password || !(await hash.verify(row.password, currentPassword))) {
        throw fieldError('current_password', 'The current password is not correct', 'password')
      }
      if (currentPassword === newPassword) {
        throw fieldError(
          'new_password',
          'The new password must differ from the current one',
          'different'
        )
      }
      row.password = newPassword // hashed by the model's AuthFinder hook
      row.mustChangePassword = false
      await row.useTransaction(trx).save()
      // Never the hash: only that it changed.
      await recordAudit(trx, actor, {
        organisationId: row.organisationId,
        action: 'update',
        event: 'user.password_changed',
        model: 'User',
        objectId: row.id,
        changes: { password: ['*', '*'] },
      })
      return row
    })
  }
}
