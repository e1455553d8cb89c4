import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AgendaItem, { agendaItemAuditState, agendaItemTrackedFields } from '#models/agenda_item'
import { notFound } from '#domain/errors'
import { collectTags } from '#domain/agenda/tags'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { sanitizeRichText } from '#services/rich_text'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { agendaItemMessages } from '#transformers/agenda_item_transformer'

export interface AgendaItemChanges {
  title?: string
  body?: string
  tags?: string[]
  blockProposals?: boolean
  blockDiscussion?: boolean
}

/**
 * Changes agenda item fields (api.md §6.9 PATCH). Tags are re-collected from
 * the body whenever body or tags change (domain §4.4). A body change is also
 * pushed as `agenda_body.changed` on the item's channel.
 */
export default class UpdateAgendaItem {
  async execute(input: {
    item: AgendaItem
    changes: AgendaItemChanges
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const item = await AgendaItem.forOrganisation(input.item.organisationId)
        .where('id', input.item.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!item) throw notFound('No such agenda item')
      const { changes } = input
      const before = agendaItemAuditState(item)
      if (changes.title !== undefined) item.title = changes.title.trim()
      if (changes.body !== undefined) item.body = sanitizeRichText(changes.body, 'relaxed')
      if (changes.body !== undefined || changes.tags !== undefined) {
        item.tags = collectTags(item.body, changes.tags ?? [])
      }
      if (changes.blockProposals !== undefined) item.blockProposals = changes.blockProposals
      if (changes.blockDiscussion !== undefined) item.blockDiscussion = changes.blockDiscussion
      const diff = diffFields(before, agendaItemAuditState(item), agendaItemTrackedFields)
      if (Object.keys(diff).length === 0) return item

      item.rev += 1
      await item.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: item.organisationId,
        meetingId: item.meetingId,
        agendaItemId: item.id,
        action: 'update',
        event: 'agenda_item.updated',
        model: 'AgendaItem',
        objectId: item.id,
        changes: diff,
      })
      const rid = input.actor.requestId ?? null
      const messages = agendaItemMessages(item, item.state, rid)
      if (diff.body) {
        messages.push({
          channel: channels.agendaItem(item.meetingId, item.id),
          type: 'agenda_body.changed',
          data: {
            id: item.id,
            rev: item.rev,
            meeting: item.meetingId,
            agenda_item: item.id,
            body: item.body,
          },
          rid,
        })
      }
      publishAfterCommit(trx, messages)
      return item
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
