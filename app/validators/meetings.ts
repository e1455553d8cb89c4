import vine from '@vinejs/vine'
import { erPolicyNames, proposalIdPolicyNames } from '#domain/meetings/er_policy_names'
import { meetingStates } from '#domain/meetings/state_machine'

const page = {
  page: vine.number().withoutDecimals().min(1).optional(),
  per_page: vine.number().withoutDecimals().min(1).max(500).optional(),
}
const csvOf = (values: readonly string[]) =>
  vine.string().regex(new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`))

/** GET /api/meetings (api.md §6.5). */
export const listMeetingsValidator = vine.create({
  state: csvOf(meetingStates).optional(),
  search: vine.string().trim().maxLength(200).optional(),
  year: vine.number().withoutDecimals().min(1970).max(9999).optional(),
  ...page,
})

/** POST /api/meetings. `room`/`sls` are checked in detail by the room action (speaker module). */
export const createMeetingValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100),
  body: vine.string().maxLength(100_000).optional(),
  er_policy_name: vine.enum(erPolicyNames).nullable().optional(),
  proposal_id_policy_name: vine.enum(proposalIdPolicyNames).nullable().optional(),
  public: vine.boolean().optional(),
  visible_in_lists: vine.boolean().optional(),
  default_secret_polls: vine.boolean().optional(),
  install_dialect: vine.string().trim().minLength(1).maxLength(60).optional(),
  room: vine.object({ title: vine.string().trim().minLength(1).maxLength(100) }).optional(),
  sls: vine.object({}).allowUnknownProperties().nullable().optional(),
})

/** PATCH /api/meetings/{id}. Machine-managed fields are not accepted. */
export const updateMeetingValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(100).optional(),
  body: vine.string().maxLength(100_000).optional(),
  public: vine.boolean().optional(),
  visible_in_lists: vine.boolean().optional(),
  er_policy_name: vine.enum(erPolicyNames).nullable().optional(),
  proposal_id_policy_name: vine.enum(proposalIdPolicyNames).nullable().optional(),
  group_votes_active: vine.boolean().optional(),
  group_roles_active: vine.boolean().optional(),
  default_secret_polls: vine.boolean().optional(),
})

export const eventValidator = vine.create({
  event: vine.string().trim().minLength(1).maxLength(60),
  reason: vine.string().trim().maxLength(1000).optional(),
})

/** POST /api/meetings/{id}/agenda-order */
export const agendaOrderValidator = vine.create({
  order: vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(1000).distinct(),
})

const ids = () => vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(1000)

/** POST /api/meeting-roles/add|remove (api.md §6.4): the context is required for meetings. */
export const changeMeetingRolesValidator = vine.create({
  context: vine.number().withoutDecimals().min(1),
  users: ids(),
  roles: vine.array(vine.string().trim().minLength(1).maxLength(40)).minLength(1).maxLength(20),
})

export const listMeetingRolesValidator = vine.create({
  context: vine.number().withoutDecimals().min(1),
  search: vine.string().trim().maxLength(200).optional(),
  user_id_in: vine
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
  roles: vine
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
  ...page,
})

/**
 * The query-string parser turns `a,b` into an array (qs `comma: true`), while
 * api.md §5 defines comma lists as one parameter: join arrays back so the
 * validators see one string either way.
 */
export function commaQuery(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(',') : value,
    ])
  )
}

/** GET /api/users?meeting= (api.md §6.2): people lookup among a meeting's participants. */
export const meetingUsersValidator = vine.create({
  meeting: vine.number().withoutDecimals().min(1),
  search: vine.string().trim().maxLength(200).optional(),
  any_roles: vine
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
  user_id_in: vine
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
  ...page,
})
