import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type AgendaItem from '#models/agenda_item'
import LastRead from '#models/last_read'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { lastReadPayload } from '#transformers/agenda_item_transformer'
import type { Actor } from '#services/audit_log'

/**
 * "Mark as read" (domain §8.1): upserts the caller's LastRead row. Pushed only
 * to the user. Not audited: LastRead is per-user display state and not a
 * registered model of domain §19.1.
 */
export default class MarkAgendaItemRead {
  async execute({ item, userId, actor }: { item: AgendaItem; userId: number; actor: Actor }) {
    return db.transaction(async (trx) => {
      const now = DateTime.utc()
      let row = await LastRead.forOrganisation(item.organisationId)
        .where('agenda_item_id', item.id)
        .where('user_id', userId)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (row) {
        row.timestamp = now
        await row.useTransaction(trx).save()
      } else {
        row = await LastRead.create(
          {
            organisationId: item.organisationId,
            meetingId: item.meetingId,
            agendaItemId: item.id,
            userId,
            timestamp: now,
          },
          { client: trx }
        )
      }
      publishAfterCommit(trx, [
        {
          channel: channels.user(userId),
          type: 'last_read.changed',
          data: lastReadPayload(row),
          rid: actor.requestId ?? null,
        },
      ])
      return row
    })
  }
}
