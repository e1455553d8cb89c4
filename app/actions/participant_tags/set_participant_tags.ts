import db from '@adonisjs/lucid/services/db'
import ParticipantTag from '#models/participant_tag'
import type Meeting from '#models/meeting'
import { DomainError } from '#domain/errors'
import { checkTagSet, type TagMap } from '#domain/participant_tags/tags'
import type { Actor } from '#services/audit_log'
import { insertOrConflict } from '#services/unique_violation'
import { enabledNamespaces, ownTags, recordTagChange } from '#services/participant_tags'

/**
 * Sets namespaces of the caller's own tags (domain §15.4): each namespace must
 * belong to an enabled tag component and each value be one of its tags. Other
 * namespaces of the row are kept. The row is locked, so two requests merge.
 */
export default class SetParticipantTags {
  async execute(input: {
    meeting: Meeting
    userId: number
    tags: unknown
    actor: Actor
  }): Promise<ParticipantTag> {
    const { meeting, userId, actor } = input
    return db.transaction(async (trx) => {
      const check = checkTagSet(input.tags, await enabledNamespaces(meeting, trx))
      if (!check.ok) {
        const { code, message, field, rule, meta } = check.problem
        throw new DomainError(code, message, { field, rule, meta })
      }
      let row = await ownTags(meeting, userId, trx, true)
      const before: TagMap | null = row ? { ...row.tags } : null
      const after: TagMap = { ...(before ?? {}), ...check.tags }
      if (row && JSON.stringify(sorted(before!)) === JSON.stringify(sorted(after))) return row
      if (row) {
        row.tags = after
        await row.useTransaction(trx).save()
      } else {
        // Two first requests at once: the unique (meeting, user) index makes the second a 409.
        row = await insertOrConflict(
          () =>
            ParticipantTag.create(
              {
                organisationId: meeting.organisationId,
                meetingId: meeting.id,
                userId,
                tags: after,
              },
              { client: trx }
            ),
          'Your tags'
        )
      }
      await recordTagChange(trx, actor, {
        meeting,
        userId,
        rowId: row.id,
        before,
        after,
        event: before ? 'ptags.updated' : 'ptags.created',
      })
      return row
    })
  }
}

const sorted = (tags: TagMap) => Object.fromEntries(Object.entries(tags).sort())
