import vine from '@vinejs/vine'
import { inviteStates } from '#domain/invitations/state_machine'
import { MAX_INVITE_ROWS } from '#domain/invitations/pipeline'

const meeting = () => vine.number().withoutDecimals().min(1)
const roleList = () => vine.array(vine.string().trim().minLength(1).maxLength(40)).maxLength(10)
const ids = () =>
  vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(MAX_INVITE_ROWS)
const cell = () => vine.string().trim().maxLength(254).optional()

/** POST /api/meeting-invites (api.md §6.11). Identity values are normalised by the pipeline. */
export const createInvitesValidator = vine.create({
  meeting: meeting(),
  roles: roleList().optional(),
  // Size is checked by the pipeline (422 invites.too_many_rows) so the message can say the limit.
  data: vine.array(
    vine
      .object({
        email: cell(),
        swedish_ssn: cell(),
        member_id: vine
          .union([
            vine.union.if((value) => typeof value === 'number', vine.number()),
            vine.union.else(vine.string().trim().maxLength(50)),
          ])
          .optional(),
        group: cell(),
        grouprole: cell(),
        roles: roleList().optional(),
      })
      // Unknown columns reach the pipeline, which names them (`data.3.mail`: unknown column).
      .allowUnknownProperties()
  ),
  dryrun: vine.boolean().optional(),
  links: vine.boolean().optional(),
})

/** POST /api/meeting-invites/import, JSON variant `{text, format}` (multipart fields are read as text). */
export const importInvitesValidator = vine.create({
  meeting: meeting(),
  roles: vine
    .union([
      vine.union.if((value) => Array.isArray(value), roleList()),
      vine.union.else(vine.string().trim().maxLength(200)),
    ])
    .optional(),
  text: vine
    .string()
    .maxLength(2 * 1024 * 1024)
    .optional(),
  format: vine.enum(['csv', 'tsv'] as const).optional(),
  dryrun: vine.boolean().optional(),
  links: vine.boolean().optional(),
})

export const listInvitesValidator = vine.create({
  meeting: meeting(),
  state: vine
    .string()
    .regex(new RegExp(`^(${inviteStates.join('|')})(,(${inviteStates.join('|')}))*$`))
    .optional(),
  roles: vine
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional(),
  email: vine.string().trim().maxLength(254).optional(),
  page: vine.number().withoutDecimals().min(1).optional(),
  per_page: vine.number().withoutDecimals().min(1).max(500).optional(),
})

export const bulkInvitesValidator = vine.create({ meeting: meeting(), invites: ids() })

export const clearAnnotationsValidator = vine.create({
  meeting: meeting(),
  types: vine.array(vine.enum(['group', 'grouprole'] as const)).minLength(1),
})

export const inviteEventValidator = vine.create({
  event: vine.string().trim().minLength(1).maxLength(40),
})

export const tokenValidator = vine.create({
  token: vine.string().trim().minLength(20).maxLength(100),
})
