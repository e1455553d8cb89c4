import vine from '@vinejs/vine'

const ids = () => vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(1000)

/** POST /api/{ctx}/add and /remove (api.md §6.4); role codes are checked against the catalogue by the action. */
export const changeRolesValidator = vine.create({
  context: vine.number().withoutDecimals().min(1).optional(),
  users: ids(),
  roles: vine.array(vine.string().trim().minLength(1).maxLength(40)).minLength(1).maxLength(20),
})

export const listRolesValidator = vine.create({
  context: vine.number().withoutDecimals().min(1).optional(),
  search: vine.string().trim().maxLength(200).optional(),
  user_id_in: vine
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
  roles: vine
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
  per_page: vine.number().withoutDecimals().min(1).max(500).optional(),
})
