import db from '@adonisjs/lucid/services/db'
import type ParticipantTag from '#models/participant_tag'
import type Meeting from '#models/meeting'
import type { TagMap } from '#domain/participant_tags/tags'
import type { Actor } from '#services/audit_log'
import { ownTags, recordTagChange } from '#services/participant_tags'

/**
 * Removes namespaces from the caller's own tags (domain §15.4); the row is
 * deleted when it becomes empty. Any namespace may be removed, also one whose
 * component is now disabled. Returns the remaining row, or null when none is left.
 */
export default class RemoveTagNamespaces {
  async execute(input: {
    meeting: Meeting
    userId: number
    namespaces: string[]
    actor: Actor
  }): Promise<ParticipantTag | null> {
    const { meeting, userId, actor } = input
    return db.transaction(async (trx) => {
      const row = await ownTags(meeting, userId, trx, true)
      if (!row) return null
      const before: TagMap = { ...row.tags }
      const after = Object.fromEntries(
        Object.entries(before).filter(([namespace]) => !input.namespaces.includes(namespace))
      )
      if (Object.keys(after).length === Object.keys(before).length) return row
      const empty = Object.keys(after).length === 0
      if (empty) await row.useTransaction(trx).delete()
      else {
        row.tags = after
        await row.useTransaction(trx).save()
      }
      await recordTagChange(trx, actor, {
        meeting,
        userId,
        rowId: row.id,
        before,
        after: empty ? null : after,
        event: empty ? 'ptags.deleted' : 'ptags.updated',
      })
      return empty ? null : row
    })
  }
}
