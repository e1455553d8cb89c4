import vine from '@vinejs/vine'

export const updateOrganisationValidator = vine.create({
  body: vine.string().maxLength(100_000).optional(),
  help_info: vine.string().maxLength(100_000).optional(),
  page_title: vine.string().trim().maxLength(255).optional(),
})

/** Admin settings form: also the options of domain §6.1 settings. */
export const updateOrganisationSettingsValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(255),
  page_title: vine.string().trim().maxLength(255).optional(),
  body: vine.string().maxLength(100_000).optional(),
  help_info: vine.string().maxLength(100_000).optional(),
  password_login: vine.boolean().optional(),
  create_users_on_login: vine.boolean().optional(),
})
