import db from '@adonisjs/lucid/services/db'
import Proposal, { proposalAuditState, proposalTrackedFields } from '#models/proposal'
import AgendaItem from '#models/agenda_item'
import { notFound } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { resetAgendaItemModified } from '#services/content'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { proposalDeletedMessages } from '#transformers/proposal_transformer'

/**
 * Deletes a proposal (the policy has checked `proposal.delete`, including
 * "not used in any poll"). Its versions and notes go with it (FK cascade);
 * reactions on it are removed here, as they have no foreign key.
 */
export default class DeleteProposal {
  async execute(input: { proposal: Proposal; actor: Actor }) {
    await db.transaction(async (trx) => {
      const proposal = await Proposal.forOrganisation(input.proposal.organisationId)
        .where('id', input.proposal.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!proposal) throw notFound('No such proposal')
      const item = await AgendaItem.forOrganisation(proposal.organisationId)
        .where('id', proposal.agendaItemId)
        .useTransaction(trx)
        .firstOrFail()
      await trx
        .from('reactions')
        .where('organisation_id', proposal.organisationId)
        .where('content_type', 'proposal')
        .where('object_id', proposal.id)
        .delete()
      // Notes go with the proposal (FK cascade); their owners are told on their own channels.
      const notes = await trx
        .from('notes')
        .where('proposal_id', proposal.id)
        .select('id', 'user_id', 'rev')
      await proposal.useTransaction(trx).delete()
      await recordAudit(trx, input.actor, {
        organisationId: proposal.organisationId,
        meetingId: proposal.meetingId,
        agendaItemId: proposal.agendaItemId,
        action: 'delete',
        event: 'proposal.deleted',
        model: 'Proposal',
        objectId: proposal.id,
        changes: diffFields(proposalAuditState(proposal), {}, proposalTrackedFields),
      })
      await resetAgendaItemModified(trx, item, input.actor.requestId ?? null)
      const rid = input.actor.requestId ?? null
      publishAfterCommit(trx, [
        ...proposalDeletedMessages(proposal, item.state, rid),
        ...notes.map((note: { id: number; user_id: number; rev: number }) => ({
          channel: channels.user(note.user_id),
          type: 'note.deleted',
          data: { id: note.id, rev: note.rev + 1, meeting: proposal.meetingId },
          rid,
        })),
      ])
    })
  }
}
