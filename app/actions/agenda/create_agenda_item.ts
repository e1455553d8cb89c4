import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import AgendaItem, { agendaItemAuditState, agendaItemTrackedFields } from '#models/agenda_item'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { sanitizeRichText } from '#services/rich_text'
import { publishAfterCommit } from '#realtime/publish'
import { agendaItemMessages } from '#transformers/agenda_item_transformer'
import { collectTags } from '#domain/agenda/tags'

export interface CreateAgendaItemInput {
  meeting: Meeting
  title: string
  body?: string
  tags?: string[]
  blockProposals?: boolean
  blockDiscussion?: boolean
  actor: Actor
  trx?: TransactionClientContract
}

/** Creates an agenda item in state `private`, ordered last (domain §8.1). */
export default class CreateAgendaItem {
  async execute(input: CreateAgendaItemInput): Promise<AgendaItem> {
    const run = async (trx: TransactionClientContract) => {
      const last = await AgendaItem.forOrganisation(input.meeting.organisationId)
        .where('meeting_id', input.meeting.id)
        .useTransaction(trx)
        .max('order as max')
      const body = sanitizeRichText(input.body ?? '', 'relaxed')
      const item = await AgendaItem.create(
        {
          organisationId: input.meeting.organisationId,
          meetingId: input.meeting.id,
          title: input.title.trim(),
          body,
          state: 'private',
          order: Number(last[0]?.$extras.max ?? 0) + 1,
          blockProposals: input.blockProposals ?? false,
          blockDiscussion: input.blockDiscussion ?? false,
          tags: collectTags(body, input.tags ?? []),
          relatedModified: null,
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, input.actor, {
        organisationId: item.organisationId,
        meetingId: item.meetingId,
        agendaItemId: item.id,
        action: 'create',
        event: 'agenda_item.created',
        model: 'AgendaItem',
        objectId: item.id,
        changes: diffFields({}, agendaItemAuditState(item), agendaItemTrackedFields),
      })
      publishAfterCommit(trx, agendaItemMessages(item, null, input.actor.requestId ?? null))
      return item
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
