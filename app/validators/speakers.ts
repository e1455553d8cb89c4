import vine from '@vinejs/vine'
import { speakerListMethodNames } from '#domain/speakers/methods'
import { MAX_SAFE_POSITIONS } from '#domain/speakers/ordering'
import { turnKinds } from '#domain/speakers/types'

/** Speaker systems, lists, turns, roles, budgets, history and rooms (api.md §6.4, §6.15, §6.16, §11.4). */
const id = () => vine.number().withoutDecimals().min(1)
const seconds = () => vine.number().withoutDecimals().min(0).max(32767)
const categorySlug = () =>
  vine
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,30}$/)

const systemFields = {
  method_name: vine.enum(speakerListMethodNames).optional(),
  safe_positions: vine.number().withoutDecimals().min(0).max(MAX_SAFE_POSITIONS).optional(),
  settings: vine.any().optional(),
  meeting_roles_to_speaker: vine
    .array(vine.string().trim().minLength(1).maxLength(30))
    .maxLength(10)
    .optional(),
  show_time: vine.boolean().optional(),
  speech_seconds: seconds().nullable().optional(),
  point_of_order_seconds: seconds().nullable().optional(),
  point_of_order_when_closed: vine.boolean().optional(),
  point_of_order_categories: vine.array(categorySlug()).maxLength(10).optional(),
  enforce_time_budgets: vine.boolean().optional(),
}

export const listByMeetingValidator = vine.create({ meeting: id() })

export const createSpeakerSystemValidator = vine.create({ room: id(), ...systemFields })

export const updateSpeakerSystemValidator = vine.create({
  ...systemFields,
  active_list: id().nullable().optional(),
})

export const eventValidator = vine.create({
  event: vine.string().trim().minLength(1).maxLength(50),
})

export const listSpeakerListsValidator = vine.create({
  meeting: id().optional(),
  agenda_item: id().optional(),
  speaker_system: id().optional(),
})

export const createSpeakerListValidator = vine.create({
  speaker_system: id(),
  agenda_item: id().nullable().optional(),
  title: vine.string().trim().minLength(1).maxLength(200),
})

export const updateSpeakerListValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(200),
})

export const enterValidator = vine.create({
  kind: vine.enum(turnKinds).optional(),
  category: categorySlug().nullable().optional(),
})

export const leaveValidator = vine.create({ kind: vine.enum(turnKinds).optional() })

export const listSpeakersValidator = vine.create({
  speaker_list: id(),
  finished: vine.boolean().optional(),
})

export const addSpeakerValidator = vine.create({
  speaker_list: id(),
  user: id(),
  kind: vine.enum(turnKinds).optional(),
  category: categorySlug().nullable().optional(),
  override: vine.boolean().optional(),
})

export const updateSpeakerValidator = vine.create({
  seconds: vine.number().withoutDecimals().min(1).max(32767).optional(),
  note: vine.string().trim().maxLength(500).optional(),
})

export const extendValidator = vine.create({
  seconds: vine.number().withoutDecimals().min(1).max(3600),
})

export const historyValidator = vine.create({
  meeting: id(),
  speaker_system: id().optional(),
  group_by: vine.enum(['user', 'group'] as const).optional(),
  ordering: vine
    .enum(['user', 'times_spoken', '-times_spoken', 'seconds_spoken', '-seconds_spoken'] as const)
    .optional(),
})

export const timeBudgetsValidator = vine.create({
  budgets: vine
    .array(
      vine.object({ group: id(), seconds: vine.number().withoutDecimals().min(1).max(1_000_000) })
    )
    .maxLength(500),
})

export const rolesListValidator = vine.create({
  context: id(),
  user_id_in: vine
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
  roles: vine
    .string()
    .regex(/^(list_moderator|speaker)(,(list_moderator|speaker))*$/)
    .optional(),
  search: vine.string().trim().maxLength(200).optional(),
})

export const rolesChangeValidator = vine.create({
  context: id(),
  users: vine.array(id()).minLength(1).maxLength(500),
  roles: vine.array(vine.string().trim().minLength(1).maxLength(30)).minLength(1).maxLength(10),
})

export const exportValidator = vine.create({
  format: vine.enum(['csv', 'json'] as const).optional(),
})

const roomFields = {
  body: vine.string().maxLength(100_000).optional(),
  open: vine.boolean().optional(),
  send_sls: vine.boolean().optional(),
  send_proposals: vine.boolean().optional(),
  show_time: vine.boolean().optional(),
}

export const createRoomValidator = vine.create({
  meeting: id(),
  title: vine.string().trim().minLength(1).maxLength(100),
  ...roomFields,
})

export const updateRoomValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100).optional(),
  ...roomFields,
})

export const handleRoomValidator = vine.create({
  token: vine.string().trim().minLength(1).maxLength(64),
  agenda_item: id().nullable().optional(),
  highlighted: vine.array(id()).maxLength(100).optional(),
  poll: id().nullable().optional(),
  send_proposals: vine.boolean().optional(),
  show_ballot: vine.boolean().optional(),
})

export const handleSpeakerValidator = vine.create({
  body: vine.string().maxLength(100_000).optional(),
  open: vine.boolean().optional(),
  show_time: vine.boolean().optional(),
  send_sls: vine.boolean().optional(),
})

export const markTextValidator = vine.create({
  proposal: id().nullable(),
  start: vine.number().withoutDecimals().min(0).nullable(),
  end: vine.number().withoutDecimals().min(0).nullable(),
})

/**
 * `room` / `sls` of POST /api/meetings (scenario S55), validated by the speaker
 * module so field errors name `sls.method_name` etc.
 */
export const meetingRoomValidator = vine.create({
  room: vine.object({ title: vine.string().trim().minLength(1).maxLength(100) }),
  sls: vine.object(systemFields).nullable().optional(),
})
