import vine from '@vinejs/vine'

const tags = () => vine.array(vine.string().trim().minLength(1).maxLength(60)).maxLength(50)
const groupid = () =>
  vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(100)
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
const votes = () => vine.number().withoutDecimals().min(0).max(1_000_000).nullable()
const roleCodes = () => vine.array(vine.string().trim().minLength(1).maxLength(40)).maxLength(10)

export const meetingScopeValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
})

export const createGroupValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  title: vine.string().trim().minLength(1).maxLength(255),
  groupid: groupid().optional(),
  body: vine.string().maxLength(100_000).optional(),
  tags: tags().optional(),
  votes: votes().optional(),
  post_as: vine.boolean().optional(),
  show_on_speaker: vine.boolean().optional(),
  delegate_to: vine.number().withoutDecimals().min(1).nullable().optional(),
})

export const updateGroupValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(255).optional(),
  body: vine.string().maxLength(100_000).optional(),
  tags: tags().optional(),
  votes: votes().optional(),
  post_as: vine.boolean().optional(),
  show_on_speaker: vine.boolean().optional(),
  delegate_to: vine.number().withoutDecimals().min(1).nullable().optional(),
})

export const bulkCreateGroupsValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  groups: vine.string().minLength(1).maxLength(200_000),
})

export const bulkDeleteGroupsValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  groups: vine
    .array(vine.number().withoutDecimals().min(1))
    .minLength(1)
    .maxLength(1000)
    .distinct(),
})

export const listMembershipsValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  meeting_group: vine.number().withoutDecimals().min(1).optional(),
  user: vine.number().withoutDecimals().min(1).optional(),
})

export const createMembershipValidator = vine.create({
  meeting_group: vine.number().withoutDecimals().min(1),
  user: vine.number().withoutDecimals().min(1),
  role: vine.number().withoutDecimals().min(1).nullable().optional(),
  votes: votes().optional(),
})

export const updateMembershipValidator = vine.create({
  role: vine.number().withoutDecimals().min(1).nullable().optional(),
  votes: votes().optional(),
})

export const createGroupRoleValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  title: vine.string().trim().minLength(1).maxLength(100),
  role_id: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(50)
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
    .optional(),
  roles: roleCodes(),
})

export const updateGroupRoleValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100).optional(),
  role_id: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(50)
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
    .optional(),
  roles: roleCodes().optional(),
})

/** SFS delegation weights (domain §11.6): the sum and membership rules are the action's. */
export const sfsDelegationVotersValidator = vine.create({
  weights: vine
    .array(
      vine.object({
        user: vine.number().withoutDecimals().min(1),
        weight: vine.number().withoutDecimals().min(1).max(1_000_000),
      })
    )
    .minLength(1)
    .maxLength(1000),
})
