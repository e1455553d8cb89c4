import vine from '@vinejs/vine'
import { organisationRoles } from '#domain/permissions/roles'
import { USERID_PATTERN } from '#validators/user'

/** Admin user screen: add or remove one organisation role (one button per role). */
export const adminRoleChangeValidator = vine.create({
  role: vine.enum(Object.keys(organisationRoles)),
  mode: vine.enum(['add', 'remove']),
})

/** Admin user screen: the activate / deactivate button. */
export const adminSetActiveValidator = vine.create({
  active: vine.boolean(),
})

/** Admin user screen: edit the details of a user (empty names clear them; an empty user id keeps it). */
export const adminUpdateUserValidator = vine.create({
  email: vine.string().trim().maxLength(254).email(),
  first_name: vine.string().trim().maxLength(100).optional(),
  last_name: vine.string().trim().maxLength(100).optional(),
  userid: vine.string().trim().minLength(1).maxLength(100).regex(USERID_PATTERN).optional(),
})
