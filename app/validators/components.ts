import vine from '@vinejs/vine'

const id = () => vine.number().withoutDecimals().min(1)

export const meetingComponentsQueryValidator = vine.create({ meeting: id() })

/** `settings` is checked against the component type's schema by the action (domain §15.1). */
export const createMeetingComponentValidator = vine.create({
  meeting: id(),
  component_name: vine.string().trim().minLength(1).maxLength(30),
  settings: vine.any().optional(),
  enabled: vine.boolean({ strict: true }).optional(),
})

export const updateMeetingComponentValidator = vine.create({
  settings: vine.any().optional(),
  enabled: vine.boolean({ strict: true }).optional(),
})
