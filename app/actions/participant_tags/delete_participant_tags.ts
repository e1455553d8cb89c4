import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import type { Actor } from '#services/audit_log'
import { ownTags, recordTagChange } from '#services/participant_tags'

/** Deletes the caller's own tags in a meeting (domain §15.4); nothing to delete is no change. */
export default class DeleteParticipantTags {
  async execute(input: { meeting: Meeting; userId: number; actor: Actor }): Promise<boolean> {
    const { meeting, userId, actor } = input
    return db.transaction(async (trx) => {
      const row = await ownTags(meeting, userId, trx, true)
      if (!row) return false
      const before = { ...row.tags }
      await row.useTransaction(trx).delete()
      await recordTagChange(trx, actor, {
        meeting,
        userId,
        rowId: row.id,
        before,
        after: null,
        event: 'ptags.deleted',
      })
      return true
    })
  }
}
