import vine from '@vinejs/vine'
import { proposalStates } from '#domain/proposals/state_machine'

const page = {
  page: vine.number().withoutDecimals().min(1).optional(),
  per_page: vine.number().withoutDecimals().min(1).max(500).optional(),
}
const id = () => vine.number().withoutDecimals().min(1)
const csvOf = (values: readonly string[]) =>
  vine.string().regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`))
const tag = () =>
  vine
    .string()
    .trim()
    .regex(/^#?[\p{L}\p{N}_-]{1,60}$/u)
const body = () => vine.string().maxLength(100_000)

/** Author encodings of domain §9.1 / §14.1. */
const authorship = {
  author: id().nullable().optional(),
  meeting_group: id().nullable().optional(),
  as_group: vine.boolean().optional(),
}

/** Lists of proposals / posts / documents: `meeting` or `agenda_item` (api.md §6.10, §6.12). */
export const listContentValidator = vine.create({
  meeting: id().optional().requiredIfMissing('agenda_item'),
  agenda_item: id().optional(),
  state: csvOf(proposalStates).optional(),
  tags: vine
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}_,#-]{1,500}$/u)
    .optional(),
  ...page,
})

/** POST /api/proposals and /api/proposals/preview. */
export const createProposalValidator = vine.create({
  shortname: vine.enum(['proposal', 'diff_proposal'] as const),
  agenda_item: id(),
  body: body(),
  tags: vine.array(tag()).maxLength(50).optional(),
  paragraph: id().nullable().optional(),
  ...authorship,
})

/** PATCH /api/proposals/{id} (moderators). */
export const updateProposalValidator = vine.create({
  body: body().optional(),
  tags: vine.array(tag()).maxLength(50).optional(),
  ...authorship,
})

export const eventValidator = vine.create({
  event: vine.string().trim().minLength(1).maxLength(60),
  reason: vine.string().trim().maxLength(1000).optional(),
})

/** GET /api/proposals/{id}/diff */
export const versionDiffValidator = vine.create({
  from: vine.number().withoutDecimals().min(1),
  to: vine.number().withoutDecimals().min(1),
  brief: vine.boolean().optional(),
})

export const createTextDocumentValidator = vine.create({
  agenda_item: id(),
  title: vine.string().trim().minLength(1).maxLength(255),
  body: vine.string().maxLength(200_000),
  base_tag: vine.string().trim().minLength(1).maxLength(40),
})

export const updateTextDocumentValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(255).optional(),
  body: vine.string().maxLength(200_000).optional(),
  base_tag: vine.string().trim().minLength(1).maxLength(40).optional(),
})

export const listTextDocumentsValidator = vine.create({
  meeting: id().optional().requiredIfMissing('agenda_item'),
  agenda_item: id().optional(),
})

/** POST /api/discussion-posts */
export const createPostValidator = vine.create({
  agenda_item: id(),
  body: body(),
  tags: vine.array(tag()).maxLength(50).optional(),
  ...authorship,
})

export const updatePostValidator = vine.create({
  body: body().optional(),
  tags: vine.array(tag()).maxLength(50).optional(),
  ...authorship,
})

const meetingRole = () => vine.enum(['pa', 'mo', 'pv', 'di', 'pr'] as const)
const buttonFields = {
  description: vine.string().maxLength(500).optional(),
  icon: vine.string().trim().maxLength(100).optional(),
  color: vine.string().trim().maxLength(50).optional(),
  change_roles: vine.array(meetingRole()).maxLength(5).optional(),
  list_roles: vine.array(meetingRole()).maxLength(5).optional(),
  allowed_models: vine
    .array(vine.enum(['proposal', 'discussion_post'] as const))
    .minLength(1)
    .maxLength(2)
    .optional(),
  flag_mode: vine.boolean().optional(),
  vote_template: vine.boolean().optional(),
  on_presentation: vine.boolean().optional(),
  on_vote: vine.boolean().optional(),
  target: vine.number().withoutDecimals().min(1).max(1_000_000).nullable().optional(),
  order: vine.number().withoutDecimals().min(0).max(1_000_000).optional(),
  active: vine.boolean().optional(),
}

export const createReactionButtonValidator = vine.create({
  meeting: id(),
  title: vine.string().trim().minLength(1).maxLength(100),
  ...buttonFields,
})

export const updateReactionButtonValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100).optional(),
  ...buttonFields,
})

export const meetingQueryValidator = vine.create({ meeting: id() })

export const reactionTargetValidator = vine.create({
  content_type: vine.enum(['proposal', 'discussion_post'] as const),
  object_id: id(),
})

const intent = () => vine.enum(['', 'a', 'd'] as const)

export const upsertNoteValidator = vine.create({
  proposal: id(),
  body: vine.string().maxLength(20_000).optional(),
  intent: intent().optional(),
})

export const updateNoteValidator = vine.create({
  body: vine.string().maxLength(20_000).optional(),
  intent: intent().optional(),
})

export const exportValidator = vine.create({
  format: vine.enum(['csv', 'json'] as const).optional(),
})

/** Admin bulk state change: the target state name (mapped to the event, as for agenda items). */
export const bulkProposalStateValidator = vine.create({
  proposals: vine.array(id()).minLength(1).maxLength(250),
  state: vine.enum(proposalStates),
})
