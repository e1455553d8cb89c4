import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import type User from '#models/user'
import AgendaItem from '#models/agenda_item'
import { DomainError, fieldError } from '#domain/errors'
import { eventForTargetState } from '#domain/agenda/state_machine'
import type { Actor } from '#services/audit_log'
import TransitionAgendaItem from '#actions/agenda/transition_agenda_item'
import UpdateAgendaItem from '#actions/agenda/update_agenda_item'

export interface BulkChangeInput {
  meeting: Meeting
  itemIds: number[]
  /** Target state name; mapped to the event (api.md Q3). */
  state?: keyof typeof eventForTargetState
  blockDiscussion?: boolean
  blockProposals?: boolean
  user: User
  actor: Actor
}

/**
 * Bulk change (domain §8.2): items for which the transition is not allowed
 * are skipped silently; flags are applied to every listed item that can still
 * change (not archived). Returns how many items changed. One transaction.
 */
export default class BulkChangeAgendaItems {
  async execute(input: BulkChangeInput) {
    return db.transaction(async (trx) => {
      const items = await AgendaItem.forOrganisation(input.meeting.organisationId)
        .where('meeting_id', input.meeting.id)
        .whereIn('id', input.itemIds)
        .orderBy('order')
        .useTransaction(trx)
      const missing = input.itemIds.findIndex((id) => !items.some((item) => item.id === id))
      if (missing >= 0)
        throw fieldError(`agenda_items.${missing}`, 'No such agenda item in this meeting', 'exists')

      let changed = 0
      for (let item of items) {
        let itemChanged = false
        if (input.state && item.state !== input.state && item.state !== 'archived') {
          try {
            item = await new TransitionAgendaItem().execute({
              item,
              event: eventForTargetState[input.state],
              user: input.user,
              actor: input.actor,
              trx,
            })
            itemChanged = true
          } catch (error) {
            // Refusals are skipped silently; they are raised before anything is written.
            if (!(error instanceof DomainError)) throw error
          }
        }
        if (
          (input.blockDiscussion !== undefined || input.blockProposals !== undefined) &&
          item.state !== 'archived'
        ) {
          const revBefore = item.rev
          item = await new UpdateAgendaItem().execute({
            item,
            changes: {
              blockDiscussion: input.blockDiscussion,
              blockProposals: input.blockProposals,
            },
            actor: input.actor,
            trx,
          })
          if (item.rev !== revBefore) itemChanged = true
        }
        if (itemChanged) changed += 1
      }
      return { changed }
    })
  }
}
