import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { compose } from '@adonisjs/core/helpers'
import { TenantScoped } from '#models/mixins/tenant_scoped'

const jsonArray = {
  prepare: (value: unknown[]) => JSON.stringify(value ?? []),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? [])),
}

export type ReactionContentType = 'proposal' | 'discussion_post'

/** A configurable reaction button of a meeting (domain §14.2). */
export default class ReactionButton extends compose(BaseModel, TenantScoped) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organisationId: number

  @column()
  declare meetingId: number

  @column()
  declare title: string

  /** lower(title), for the uniqueness rule. */
  @column()
  declare titleKey: string

  @column()
  declare description: string

  @column()
  declare icon: string

  @column()
  declare color: string

  @column(jsonArray)
  declare changeRoles: string[]

  @column(jsonArray)
  declare listRoles: string[]

  @column(jsonArray)
  declare allowedModels: ReactionContentType[]

  @column({ consume: Boolean })
  declare flagMode: boolean

  @column({ consume: Boolean })
  declare voteTemplate: boolean

  @column({ consume: Boolean })
  declare onPresentation: boolean

  @column({ consume: Boolean })
  declare onVote: boolean

  @column()
  declare target: number | null

  @column()
  declare order: number

  @column({ consume: Boolean })
  declare active: boolean

  @column()
  declare rev: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}

export const reactionButtonTrackedFields = [
  'title',
  'description',
  'icon',
  'color',
  'change_roles',
  'list_roles',
  'allowed_models',
  'flag_mode',
  'vote_template',
  'on_presentation',
  'on_vote',
  'target',
  'order',
  'active',
] as const

export function reactionButtonAuditState(
  button: ReactionButton
): Record<(typeof reactionButtonTrackedFields)[number], unknown> {
  return {
    title: button.title,
    description: button.description,
    icon: button.icon,
    color: button.color,
    change_roles: button.changeRoles,
    list_roles: button.listRoles,
    allowed_models: button.allowedModels,
    flag_mode: button.flagMode,
    vote_template: button.voteTemplate,
    on_presentation: button.onPresentation,
    on_vote: button.onVote,
    target: button.target,
    order: button.order,
    active: button.active,
  }
}
