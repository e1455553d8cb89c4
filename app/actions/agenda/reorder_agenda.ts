import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import { fieldError } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { agendaItemMessages } from '#transformers/agenda_item_transformer'

/**
 * Sets the agenda order (api.md §6.5 `agenda-order`): the listed items get
 * positions 1…n in the given order; items not listed keep their relative
 * order after them. Every id must be an item of the meeting.
 */
export default class ReorderAgenda {
  async execute({ meeting, order, actor }: { meeting: Meeting; order: number[]; actor: Actor }) {
    return db.transaction(async (trx) => {
      const items = await AgendaItem.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .orderBy('order')
        .orderBy('id')
        .useTransaction(trx)
        .forUpdate()
      const byId = new Map(items.map((item) => [item.id, item]))
      const unknown = order.findIndex((id) => !byId.has(id))
      if (unknown >= 0)
        throw fieldError(`order.${unknown}`, 'No such agenda item in this meeting', 'exists')
      const listed = new Set(order)
      const sequence = [
        ...order.map((id) => byId.get(id)!),
        ...items.filter((item) => !listed.has(item.id)),
      ]
      const messages = []
      for (const [index, item] of sequence.entries()) {
        const position = index + 1
        if (item.order === position) continue
        const previous = item.order
        item.order = position
        item.rev += 1
        await item.useTransaction(trx).save()
        await recordAudit(trx, actor, {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          agendaItemId: item.id,
          action: 'update',
          event: 'agenda_item.reordered',
          model: 'AgendaItem',
          objectId: item.id,
          changes: { order: [previous, position] },
        })
        messages.push(...agendaItemMessages(item, item.state, actor.requestId ?? null))
      }
      publishAfterCommit(trx, messages)
      return sequence
    })
  }
}
