import vine from '@vinejs/vine'
import { agendaItemStates } from '#domain/agenda/state_machine'

const tags = () => vine.array(vine.string().trim().minLength(1).maxLength(60)).maxLength(50)
const itemIds = () =>
  vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(250).distinct()

export const listAgendaItemsValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  state: vine
    .string()
    .regex(new RegExp(`^(${agendaItemStates.join('|')})(,(${agendaItemStates.join('|')}))*$`))
    .optional(),
})

export const createAgendaItemValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  title: vine.string().trim().minLength(1).maxLength(100),
  body: vine.string().maxLength(100_000).optional(),
  tags: tags().optional(),
  block_proposals: vine.boolean().optional(),
  block_discussion: vine.boolean().optional(),
})

export const updateAgendaItemValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100).optional(),
  body: vine.string().maxLength(100_000).optional(),
  tags: tags().optional(),
  block_proposals: vine.boolean().optional(),
  block_discussion: vine.boolean().optional(),
})

export const bulkChangeAgendaItemsValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  agenda_items: itemIds(),
  state: vine.enum(['private', 'upcoming', 'ongoing', 'closed'] as const).optional(),
  block_discussion: vine.boolean().optional(),
  block_proposals: vine.boolean().optional(),
})

export const bulkDeleteAgendaItemsValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  agenda_items: itemIds(),
})

export const lastReadListValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
})
