import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import AgendaItem, { agendaItemAuditState, agendaItemTrackedFields } from '#models/agenda_item'
import { DomainError, fieldError } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { agendaItemDeletedMessages } from '#transformers/agenda_item_transformer'

/**
 * Deletes agenda items of one meeting (api.md §6.9 DELETE and bulk-delete).
 * Bulk deletion is refused while the meeting is ongoing (domain §8.2);
 * archived items are never deleted (agenda_item.delete).
 */
export default class DeleteAgendaItems {
  async execute(input: { meeting: Meeting; itemIds: number[]; bulk: boolean; actor: Actor }) {
    if (input.bulk && input.meeting.state === 'ongoing') {
      throw new DomainError(
        'agenda_item.bulk_delete_ongoing',
        'Agenda items cannot be bulk deleted while the meeting is ongoing'
      )
    }
    return db.transaction(async (trx) => {
      const items = await AgendaItem.forOrganisation(input.meeting.organisationId)
        .where('meeting_id', input.meeting.id)
        .whereIn('id', input.itemIds)
        .useTransaction(trx)
        .forUpdate()
      const missing = input.itemIds.findIndex((id) => !items.some((item) => item.id === id))
      if (missing >= 0)
        throw fieldError(`agenda_items.${missing}`, 'No such agenda item in this meeting', 'exists')
      const archived = input.itemIds.findIndex(
        (id) => items.find((item) => item.id === id)!.state === 'archived'
      )
      if (archived >= 0)
        throw fieldError(
          `agenda_items.${archived}`,
          'Archived agenda items cannot be deleted',
          'archived'
        )
      for (const item of items) {
        await item.useTransaction(trx).delete()
        await recordAudit(trx, input.actor, {
          organisationId: item.organisationId,
          meetingId: item.meetingId,
          agendaItemId: item.id,
          action: 'delete',
          event: 'agenda_item.deleted',
          model: 'AgendaItem',
          objectId: item.id,
          changes: diffFields(agendaItemAuditState(item), {}, agendaItemTrackedFields),
        })
        publishAfterCommit(trx, agendaItemDeletedMessages(item, input.actor.requestId ?? null))
      }
      return { deleted: items.length }
    })
  }
}
