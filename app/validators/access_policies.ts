import vine from '@vinejs/vine'

const roles = () => vine.array(vine.string().trim().minLength(1).maxLength(40)).maxLength(10)

export const createAccessPolicyValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  roles_given: roles(),
  active: vine.boolean().optional(),
})

export const updateAccessPolicyValidator = vine.create({
  roles_given: roles().optional(),
  active: vine.boolean().optional(),
})
