import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { fieldError } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'

export interface UpdateProfileInput {
  user: User
  changes: { first_name?: string; last_name?: string; email?: string; userid?: string }
  actor: Actor
}

const TRACKED = ['first_name', 'last_name', 'email', 'userid'] as const

const snapshot = (user: User) => ({
  first_name: user.firstName,
  last_name: user.lastName,
  email: user.email,
  userid: user.userid,
})

/** A user edits their own profile (domain §2.2); email and userid stay unique per organisation. */
export default class UpdateProfile {
  async execute({ user, changes, actor }: UpdateProfileInput) {
    return db.transaction(async (trx) => {
      const row = await User.forOrganisation(user.organisationId)
        .where('id', user.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      const before = snapshot(row)
      const email = changes.email?.trim().toLowerCase()

      for (const [field, value] of [
        ['email', email],
        ['userid', changes.userid],
      ] as const) {
        if (value === undefined || value === before[field]) continue
        const clash = await User.forOrganisation(row.organisationId)
          .where(field, value)
          .whereNot('id', row.id)
          .useTransaction(trx)
          .first()
        if (clash)
          throw fieldError(
            field,
            `This ${field === 'email' ? 'email' : 'user id'} is already taken`,
            'unique'
          )
      }

      if (changes.first_name !== undefined) row.firstName = changes.first_name
      if (changes.last_name !== undefined) row.lastName = changes.last_name
      if (email !== undefined) row.email = email
      if (changes.userid !== undefined) row.userid = changes.userid

      const diff = diffFields(before, snapshot(row), TRACKED)
      if (Object.keys(diff).length === 0) return row
      row.rev += 1
      await row.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: row.organisationId,
        action: 'update',
        event: 'user.updated',
        model: 'User',
        objectId: row.id,
        changes: diff,
      })
      return row
    })
  }
}
