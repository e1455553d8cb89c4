import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Proposal, { proposalAuditState, proposalTrackedFields } from '#models/proposal'
import AgendaItem from '#models/agenda_item'
import { eventLeadingTo, type ProposalState } from '#domain/proposals/state_machine'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { proposalsUsedInPolls } from '#services/proposal_hooks'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { proposalMessages } from '#transformers/proposal_transformer'

export interface SetProposalStatesInput {
  /** The caller's transaction: poll and agenda cascades change proposals together with their own rows. */
  trx: TransactionClientContract
  organisationId: number
  /** Each proposal id with the state it should reach. */
  targets: Array<{ proposal: number; state: ProposalState }>
  actor: Actor
  /**
   * D24: the poll releasing its proposals. A proposal leaving `voting` stays
   * `voting` while another `upcoming`/`ongoing` poll (not this one) uses it.
   */
  releasingPollId?: number
  /**
   * D17 (archiving): write the target state even where no machine event
   * leads there (`voting` → `unhandled`). Audited as `proposal.state_set`.
   */
  direct?: boolean
}

/**
 * Forced proposal state changes for other modules (domain §9.4 "Poll-driven
 * changes", §7.5 archiving). Runs in the caller's transaction with the rows
 * locked; transitions the machine does not allow from the current state are
 * skipped (not an error); every change is audited and published after commit.
 * Returns the proposals that changed.
 */
export default class SetProposalStates {
  async execute(input: SetProposalStatesInput): Promise<Proposal[]> {
    const { trx } = input
    const wanted = new Map(input.targets.map((target) => [target.proposal, target.state]))
    if (wanted.size === 0) return []
    const proposals = await Proposal.forOrganisation(input.organisationId)
      .whereIn('id', [...wanted.keys()])
      .useTransaction(trx)
      .forUpdate()
      .orderBy('id')
    const stillLocked =
      input.releasingPollId === undefined
        ? new Set<number>()
        : await proposalsUsedInPolls(trx, {
            proposalIds: proposals.filter((p) => p.state === 'voting').map((p) => p.id),
            activeOnly: true,
            exceptPollId: input.releasingPollId,
          })
    const itemStates = new Map<number, string>()
    const messages: OutgoingMessage[] = []
    const changed: Proposal[] = []
    for (const proposal of proposals) {
      const to = wanted.get(proposal.id)!
      if (proposal.state === to) continue
      if (proposal.state === 'voting' && stillLocked.has(proposal.id)) continue
      const event = eventLeadingTo(proposal.state, to) ?? (input.direct ? 'state_set' : null)
      if (!event) continue
      const before = proposalAuditState(proposal)
      proposal.state = to
      proposal.rev += 1
      await proposal.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: proposal.organisationId,
        meetingId: proposal.meetingId,
        agendaItemId: proposal.agendaItemId,
        action: 'update',
        event: `proposal.${event}`,
        model: 'Proposal',
        objectId: proposal.id,
        changes: diffFields(before, proposalAuditState(proposal), proposalTrackedFields),
      })
      if (!itemStates.has(proposal.agendaItemId)) {
        const item = await AgendaItem.forOrganisation(proposal.organisationId)
          .where('id', proposal.agendaItemId)
          .useTransaction(trx)
          .first()
        itemStates.set(proposal.agendaItemId, item?.state ?? 'private')
      }
      messages.push(
        ...proposalMessages(
          proposal,
          itemStates.get(proposal.agendaItemId)!,
          input.actor.requestId ?? null
        )
      )
      changed.push(proposal)
    }
    publishAfterCommit(trx, messages)
    return changed
  }
}
