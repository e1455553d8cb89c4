import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import ReactionButton, {
  reactionButtonAuditState,
  reactionButtonTrackedFields,
  type ReactionContentType,
} from '#models/reaction_button'
import { fieldError, notFound } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { reactionButtonPayload } from '#transformers/discussion_transformer'

export interface ReactionButtonFields {
  title?: string
  description?: string
  icon?: string
  color?: string
  changeRoles?: string[]
  listRoles?: string[]
  allowedModels?: ReactionContentType[]
  flagMode?: boolean
  voteTemplate?: boolean
  onPresentation?: boolean
  onVote?: boolean
  target?: number | null
  order?: number
  active?: boolean
}

const unique = <T>(values: T[]) => [...new Set(values)]

function apply(button: ReactionButton, fields: ReactionButtonFields) {
  if (fields.title !== undefined) {
    button.title = fields.title.trim()
    button.titleKey = button.title.toLowerCase()
  }
  if (fields.description !== undefined) button.description = fields.description
  if (fields.icon !== undefined) button.icon = fields.icon
  if (fields.color !== undefined) button.color = fields.color
  if (fields.changeRoles !== undefined) button.changeRoles = unique(fields.changeRoles)
  if (fields.listRoles !== undefined) button.listRoles = unique(fields.listRoles)
  if (fields.allowedModels !== undefined) button.allowedModels = unique(fields.allowedModels)
  if (fields.flagMode !== undefined) button.flagMode = fields.flagMode
  if (fields.voteTemplate !== undefined) button.voteTemplate = fields.voteTemplate
  if (fields.onPresentation !== undefined) button.onPresentation = fields.onPresentation
  if (fields.onVote !== undefined) button.onVote = fields.onVote
  if (fields.target !== undefined) button.target = fields.target
  if (fields.order !== undefined) button.order = fields.order
  if (fields.active !== undefined) button.active = fields.active
}

/** Unique (meeting, lower-case title, icon, color): a 422 on `title` rather than a database error. */
async function assertUnique(trx: TransactionClientContract, button: ReactionButton) {
  const clash = await trx
    .from('reaction_buttons')
    .where('meeting_id', button.meetingId)
    .where('title_key', button.titleKey)
    .where('icon', button.icon)
    .where('color', button.color)
    .if(button.id, (query) => query.whereNot('id', button.id))
    .first()
  if (clash) throw fieldError('title', 'A button with this title, icon and color exists', 'unique')
}

/** Reaction buttons (domain §14.2): moderators, meeting active (policy). */
export default class ReactionButtons {
  async create(input: {
    meeting: Meeting
    fields: ReactionButtonFields & { title: string }
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const button = new ReactionButton()
      button.organisationId = input.meeting.organisationId
      button.meetingId = input.meeting.id
      button.description = ''
      button.icon = ''
      button.color = ''
      button.changeRoles = ['pa']
      button.listRoles = ['mo']
      button.allowedModels = ['proposal', 'discussion_post']
      button.flagMode = false
      button.voteTemplate = false
      button.onPresentation = false
      button.onVote = false
      button.target = null
      button.active = true
      button.rev = 1
      if (input.fields.order === undefined) {
        const row = await trx
          .from('reaction_buttons')
          .where('meeting_id', input.meeting.id)
          .max('order as highest')
          .first()
        button.order = Number(row?.highest ?? 0) + 1
      }
      apply(button, input.fields)
      await assertUnique(trx, button)
      await button.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: button.organisationId,
        meetingId: button.meetingId,
        action: 'create',
        event: 'reaction_button.created',
        model: 'ReactionButton',
        objectId: button.id,
        changes: diffFields({}, reactionButtonAuditState(button), reactionButtonTrackedFields),
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(button.meetingId),
          type: 'reaction_button.changed',
          data: reactionButtonPayload(button),
          rid: input.actor.requestId ?? null,
        },
      ])
      return button
    })
  }

  async update(input: { button: ReactionButton; fields: ReactionButtonFields; actor: Actor }) {
    return db.transaction(async (trx) => {
      const button = await ReactionButton.forOrganisation(input.button.organisationId)
        .where('id', input.button.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!button) throw notFound('No such reaction button')
      const before = reactionButtonAuditState(button)
      apply(button, input.fields)
      const changes = diffFields(
        before,
        reactionButtonAuditState(button),
        reactionButtonTrackedFields
      )
      if (Object.keys(changes).length === 0) return button
      await assertUnique(trx, button)
      button.rev += 1
      await button.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: button.organisationId,
        meetingId: button.meetingId,
        action: 'update',
        event: 'reaction_button.updated',
        model: 'ReactionButton',
        objectId: button.id,
        changes,
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(button.meetingId),
          type: 'reaction_button.changed',
          data: reactionButtonPayload(button),
          rid: input.actor.requestId ?? null,
        },
      ])
      return button
    })
  }

  async delete(input: { button: ReactionButton; actor: Actor }) {
    await db.transaction(async (trx) => {
      const button = await ReactionButton.forOrganisation(input.button.organisationId)
        .where('id', input.button.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!button) throw notFound('No such reaction button')
      await button.useTransaction(trx).delete() // reactions cascade
      await recordAudit(trx, input.actor, {
        organisationId: button.organisationId,
        meetingId: button.meetingId,
        action: 'delete',
        event: 'reaction_button.deleted',
        model: 'ReactionButton',
        objectId: button.id,
        changes: diffFields(reactionButtonAuditState(button), {}, reactionButtonTrackedFields),
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(button.meetingId),
          type: 'reaction_button.deleted',
          data: { id: button.id, rev: button.rev + 1, meeting: button.meetingId },
          rid: input.actor.requestId ?? null,
        },
      ])
    })
  }
}
