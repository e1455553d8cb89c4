import vine from '@vinejs/vine'
import { organisationRoles } from '#domain/permissions/roles'

/** Admin user screen: add or remove one organisation role (one button per role). */
export const adminRoleChangeValidator = vine.create({
  role: vine.enum(Object.keys(organisationRoles)),
  mode: vine.enum(['add', 'remove']),
})

/** Admin user screen: the activate / deactivate button. */
export const adminSetActiveValidator = vine.create({
  active: vine.boolean(),
})
