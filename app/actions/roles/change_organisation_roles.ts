import db from '@adonisjs/lucid/services/db'
import type Organisation from '#models/organisation'
import OrganisationRole from '#models/organisation_role'
import User from '#models/user'
import {
  addRoles,
  isRoleCode,
  organisationRoles,
  removeRoles,
  type OrganisationRoleCode,
} from '#domain/permissions/roles'
import { fieldError } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'

export interface ChangeOrganisationRolesInput {
  organisation: Organisation
  userIds: number[]
  roles: string[]
  mode: 'add' | 'remove'
  actor: Actor
}

/**
 * Adds or removes organisation roles (domain §3.1, §6.2) with the closure
 * rules, for users of the same organisation only. One transaction; one audit
 * entry per changed row.
 */
export default class ChangeOrganisationRoles {
  async execute({ organisation, userIds, roles, mode, actor }: ChangeOrganisationRolesInput) {
    const unknown = roles.findIndex((code) => !isRoleCode(organisationRoles, code))
    if (unknown >= 0)
      throw fieldError(`roles.${unknown}`, `Unknown organisation role "${roles[unknown]}"`, 'enum')
    const codes = roles as OrganisationRoleCode[]
    const uniqueIds = [...new Set(userIds)]

    return db.transaction(async (trx) => {
      const users = await User.forOrganisation(organisation.id)
        .whereIn('id', uniqueIds)
        .useTransaction(trx)
      const missing = uniqueIds.findIndex((id) => !users.some((user) => user.id === id))
      if (missing >= 0) {
        throw fieldError(
          `users.${userIds.indexOf(uniqueIds[missing])}`,
          'No such user in this organisation',
          'exists'
        )
      }

      const rows = await OrganisationRole.forOrganisation(organisation.id)
        .whereIn('user_id', uniqueIds)
        .useTransaction(trx)
        .forUpdate()
      const results: Array<{ user: number; assigned: OrganisationRoleCode[] }> = []

      for (const userId of uniqueIds) {
        const row = rows.find((candidate) => candidate.userId === userId)
        const before = row?.assigned ?? []
        const after =
          mode === 'add'
            ? addRoles(organisationRoles, before, codes)
            : removeRoles(organisationRoles, before, codes)
        results.push({ user: userId, assigned: after })
        if (JSON.stringify(before) === JSON.stringify(after)) continue

        let objectId: number
        if (after.length === 0) {
          objectId = row!.id
          await row!.useTransaction(trx).delete()
        } else if (row) {
          row.assigned = after
          await row.useTransaction(trx).save()
          objectId = row.id
        } else {
          const created = await OrganisationRole.create(
            { organisationId: organisation.id, userId, assigned: after },
            { client: trx }
          )
          objectId = created.id
        }
        await recordAudit(trx, actor, {
          organisationId: organisation.id,
          action: !row ? 'create' : after.length === 0 ? 'delete' : 'update',
          event: 'organisation_roles.changed',
          model: 'OrganisationRoles',
          objectId,
          changes: { user: [userId, userId], assigned: [before, after] },
        })
        const data = {
          model: 'organisation',
          context: organisation.id,
          meeting: null,
          user: userId,
          assigned: after,
          added: after.filter((code) => !before.includes(code)),
          removed: before.filter((code) => !after.includes(code)),
        }
        publishAfterCommit(trx, [
          {
            channel: channels.organisation(organisation.id),
            type: 'roles.changed',
            data,
            rid: actor.requestId ?? null,
          },
          {
            channel: channels.user(userId),
            type: 'roles.changed',
            data,
            rid: actor.requestId ?? null,
          },
        ])
      }
      return results
    })
  }
}
