import vine from '@vinejs/vine'

const email = () => vine.string().trim().maxLength(254).email()

export const loginValidator = vine.create({
  email: email(),
  password: vine.string().minLength(1).maxLength(200),
})

export const logoutValidator = vine.create({
  everywhere: vine.boolean().optional(),
})

export const createAccessTokenValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  abilities: vine
    .array(vine.enum(['*', 'read']))
    .fixedLength(1)
    .optional(),
  expires_in_days: vine.number().withoutDecimals().min(1).max(365).optional(),
})
