import vine from '@vinejs/vine'

export const USERID_PATTERN = /^[a-z0-9_-]+$/

export const updateProfileValidator = vine.create({
  first_name: vine.string().trim().maxLength(100).optional(),
  last_name: vine.string().trim().maxLength(100).optional(),
  email: vine.string().trim().maxLength(254).email().optional(),
  userid: vine.string().trim().minLength(1).maxLength(100).regex(USERID_PATTERN).optional(),
})

export const userListValidator = vine.create({
  search: vine.string().trim().maxLength(200).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
  per_page: vine.number().withoutDecimals().min(1).max(500).optional(),
  user_id_in: vine
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
})

export const createUserValidator = vine.create({
  email: vine.string().trim().maxLength(254).email(),
  first_name: vine.string().trim().maxLength(100).optional(),
  last_name: vine.string().trim().maxLength(100).optional(),
  userid: vine.string().trim().minLength(1).maxLength(100).regex(USERID_PATTERN).optional(),
  password: vine.string().minLength(8).maxLength(200).optional(),
})

export const changePasswordValidator = vine.create({
  current_password: vine.string().minLength(1).maxLength(200),
  new_password: vine.string().minLength(8).maxLength(200),
})
