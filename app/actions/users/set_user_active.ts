import db from '@adonisjs/lucid/services/db'
import type Organisation from '#models/organisation'
import User from '#models/user'
import { DomainError, notFound } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'

export interface SetUserActiveInput {
  organisation: Organisation
  userId: number
  active: boolean
  actor: Actor
}

/**
 * Activates or deactivates a user of the organisation. An inactive user is
 * refused by every authentication path (password login, browser session,
 * bearer token), so the change takes effect on their next request. Nobody
 * deactivates themselves: that would lock the last manager out by accident.
 */
export default class SetUserActive {
  async execute({ organisation, userId, active, actor }: SetUserActiveInput) {
    if (!active && actor.userId === userId) {
      throw new DomainError(
        'user.cannot_deactivate_self',
        'You cannot deactivate your own account',
        {
          field: 'active',
          rule: 'self',
        }
      )
    }
    return db.transaction(async (trx) => {
      const user = await User.forOrganisation(organisation.id)
        .where('id', userId)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!user) throw notFound('No such user in this organisation')
      if (user.isActive === active) return user

      user.isActive = active
      user.rev += 1
      await user.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: organisation.id,
        action: 'update',
        event: active ? 'user.activated' : 'user.deactivated',
        model: 'User',
        objectId: user.id,
        changes: { is_active: [!active, active] },
      })
      return user
    })
  }
}
