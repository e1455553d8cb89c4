import vine from '@vinejs/vine'
import { pollStates } from '#domain/polls/state_machine'
import { receiptModes } from '#domain/polls/receipts'

const quorum = vine
  .object({
    type: vine.enum(['count', 'percent_of_register'] as const),
    value: vine.number().min(0).max(1_000_000),
    weighted: vine.boolean(),
  })
  .nullable()
  .optional()

const majority = vine
  .object({
    type: vine.enum(['simple', 'two_thirds', 'three_quarters', 'absolute_of_register'] as const),
    abstentions_count: vine.boolean(),
  })
  .nullable()
  .optional()

const pollFields = {
  title: vine.string().trim().minLength(1).maxLength(70),
  body: vine.string().maxLength(100_000).optional(),
  method_name: vine.string().trim().minLength(1).maxLength(20),
  settings: vine.object({}).allowUnknownProperties().nullable().optional(),
  proposals: vine.array(vine.number().withoutDecimals().min(1)).maxLength(500).distinct(),
  p_ord: vine.enum(['c', 'a', 'r'] as const).optional(),
  withheld_result: vine.boolean().optional(),
  close_at: vine
    .date({ formats: { utc: true } })
    .nullable()
    .optional(),
  secret: vine.boolean().optional(),
  receipt_mode: vine.enum(receiptModes).optional(),
  quorum,
  majority,
}

/** POST /api/polls (api.md §6.13, §11.1). */
export const createPollValidator = vine.create({
  agenda_item: vine.number().withoutDecimals().min(1),
  ...pollFields,
  start: vine.boolean().optional(),
})

/** PATCH /api/polls/{id}. */
export const updatePollValidator = vine.create({
  title: pollFields.title.optional(),
  body: pollFields.body,
  method_name: pollFields.method_name.optional(),
  settings: pollFields.settings,
  proposals: pollFields.proposals.optional(),
  p_ord: pollFields.p_ord,
  withheld_result: pollFields.withheld_result,
  close_at: pollFields.close_at,
  secret: pollFields.secret,
  receipt_mode: pollFields.receipt_mode,
  quorum,
  majority,
})

export const listPollsValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1).optional().requiredIfMissing('agenda_item'),
  agenda_item: vine.number().withoutDecimals().min(1).optional(),
  state: vine.enum(pollStates).optional(),
})

export const pollEventValidator = vine.create({
  event: vine.string().trim().minLength(1).maxLength(60),
  reason: vine.string().trim().maxLength(2000).optional(),
})

/** POST /api/votes: `{poll, vote}` or `{poll, abstain: true}`. */
export const castVoteValidator = vine.create({
  poll: vine.number().withoutDecimals().min(1),
  vote: vine.any().optional(),
  abstain: vine.boolean().optional(),
})

export const listVotesValidator = vine.create({
  poll: vine.number().withoutDecimals().min(1).optional().requiredIfMissing('meeting'),
  meeting: vine.number().withoutDecimals().min(1).optional(),
})

export const meetingQueryValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  format: vine.enum(['json', 'csv'] as const).optional(),
})

export const triggerRegisterValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
})

export const manualRegisterValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  weights: vine
    .array(
      vine.object({
        user: vine.number().withoutDecimals().min(1),
        weight: vine.number().withoutDecimals().min(1).max(1_000_000),
      })
    )
    .maxLength(100_000),
})

export const createTransferValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  source: vine.number().withoutDecimals().min(1),
  target: vine.number().withoutDecimals().min(1),
})

export const changeTransferValidator = vine.create({
  target: vine.number().withoutDecimals().min(1),
})
