import vine from '@vinejs/vine'

const flag = () => vine.boolean().optional()

/** Export options (domain §21) as query parameters or a nested object. */
export const exportOptionsSchema = {
  include_groups: flag(),
  include_proposals: flag(),
  include_discussions: flag(),
  include_buttons: flag(),
  include_reactions: flag(),
  include_notes: flag(),
  clear_authors: flag(),
  clear_group_authors: flag(),
  clear_ai_states: flag(),
  clear_proposal_states: flag(),
  clear_proposal_id: flag(),
}

export const importOptionsSchema = {
  use_existing_groups: flag(),
  add_participants: flag(),
  missing_users: vine.enum(['error', 'blank'] as const).optional(),
}

export const exportStructureValidator = vine.create(exportOptionsSchema)

export const importStructureValidator = vine.create(importOptionsSchema)

export const cloneMeetingValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100).optional(),
  dryrun: vine.boolean().optional(),
  options: vine.object({ ...exportOptionsSchema, ...importOptionsSchema }).optional(),
})
