import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import ReactionButton, { type ReactionContentType } from '#models/reaction_button'
import Reaction from '#models/reaction'
import { notFound } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { reactionPayload } from '#transformers/discussion_transformer'

export interface ReactionTarget {
  contentType: ReactionContentType
  objectId: number
  agendaItemId: number
}

async function countMessage(
  trx: TransactionClientContract,
  button: ReactionButton,
  target: ReactionTarget,
  rid: string | null
) {
  const row = await trx
    .from('reactions')
    .where('button_id', button.id)
    .where('content_type', target.contentType)
    .where('object_id', target.objectId)
    .count('* as total')
    .first()
  return {
    channel: channels.agendaItem(button.meetingId, target.agendaItemId),
    type: 'reaction.count',
    data: {
      meeting: button.meetingId,
      agenda_item: target.agendaItemId,
      content_type: target.contentType,
      object_id: target.objectId,
      button: button.id,
      count: Number(row?.total ?? 0),
    },
    rid,
  } satisfies OutgoingMessage
}

/**
 * Setting and removing reactions (domain §14.2). The button row is locked so
 * that flag mode (one reaction per object and button, whoever set it) and the
 * per-user uniqueness hold under concurrent clicks.
 */
export default class React {
  /** Returns the reaction and whether it was created (201) or already there (200). */
  async set(input: {
    button: ReactionButton
    userId: number
    target: ReactionTarget
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const button = await ReactionButton.forOrganisation(input.button.organisationId)
        .where('id', input.button.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!button) throw notFound('No such reaction button')
      const existing = await Reaction.forOrganisation(button.organisationId)
        .where('button_id', button.id)
        .where('content_type', input.target.contentType)
        .where('object_id', input.target.objectId)
        .if(!button.flagMode, (query) => query.where('user_id', input.userId))
        .useTransaction(trx)
        .first()
      if (existing) return { reaction: existing, created: false }
      const reaction = await Reaction.create(
        {
          organisationId: button.organisationId,
          meetingId: button.meetingId,
          agendaItemId: input.target.agendaItemId,
          buttonId: button.id,
          userId: input.userId,
          contentType: input.target.contentType,
          objectId: input.target.objectId,
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, input.actor, {
        organisationId: button.organisationId,
        meetingId: button.meetingId,
        agendaItemId: input.target.agendaItemId,
        action: 'create',
        event: 'reaction.set',
        model: 'Reaction',
        objectId: reaction.id,
        changes: {
          button: [null, button.id],
          content_type: [null, reaction.contentType],
          object_id: [null, reaction.objectId],
          user: [null, reaction.userId],
        },
      })
      const rid = input.actor.requestId ?? null
      publishAfterCommit(trx, [
        await countMessage(trx, button, input.target, rid),
        {
          channel: channels.user(reaction.userId),
          type: 'reaction.changed',
          data: reactionPayload(reaction),
          rid,
        },
      ])
      return { reaction, created: true }
    })
  }

  /** Removes the caller's reaction, or (flag mode, moderators) the flag whoever set it. Idempotent. */
  async remove(input: {
    button: ReactionButton
    userId: number
    target: ReactionTarget
    anyUser: boolean
    actor: Actor
  }) {
    await db.transaction(async (trx) => {
      const button = await ReactionButton.forOrganisation(input.button.organisationId)
        .where('id', input.button.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!button) throw notFound('No such reaction button')
      const rows = await Reaction.forOrganisation(button.organisationId)
        .where('button_id', button.id)
        .where('content_type', input.target.contentType)
        .where('object_id', input.target.objectId)
        .if(!(button.flagMode && input.anyUser), (query) => query.where('user_id', input.userId))
        .useTransaction(trx)
      if (rows.length === 0) return
      const rid = input.actor.requestId ?? null
      const messages: OutgoingMessage[] = []
      for (const reaction of rows) {
        await reaction.useTransaction(trx).delete()
        await recordAudit(trx, input.actor, {
          organisationId: button.organisationId,
          meetingId: button.meetingId,
          agendaItemId: reaction.agendaItemId,
          action: 'delete',
          event: 'reaction.removed',
          model: 'Reaction',
          objectId: reaction.id,
          changes: {
            button: [button.id, null],
            content_type: [reaction.contentType, null],
            object_id: [reaction.objectId, null],
            user: [reaction.userId, null],
          },
        })
        messages.push({
          channel: channels.user(reaction.userId),
          type: 'reaction.deleted',
          data: { id: reaction.id, rev: reaction.rev + 1, meeting: reaction.meetingId },
          rid,
        })
      }
      messages.unshift(await countMessage(trx, button, input.target, rid))
      publishAfterCommit(trx, messages)
    })
  }
}
