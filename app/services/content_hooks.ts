import Proposal from '#models/proposal'
import type AgendaItem from '#models/agenda_item'
import { registerTransitionHook } from '#services/transitions'
import { registerMeetingHook } from '#services/meeting_hooks'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { proposalPayload } from '#transformers/proposal_transformer'
import SetProposalStates from '#actions/proposals/set_proposal_states'

/**
 * How proposals plug into meetings and agenda items (registered once at boot
 * from start/routes/api_proposals.ts):
 * - domain §7.2: groups that authored proposals or posts cannot be deleted;
 * - D17: when an item is archived, its `published` and `voting` proposals are
 *   set to `unhandled` (audited, outside the machine's source rules);
 * - api.md §8.3: when an item becomes private, participants receive
 *   `proposal.deleted` for its proposals; when it leaves private, `proposal.changed`.
 */
let registered = false

export function registerContentHooks() {
  if (registered) return
  registered = true

  // A group that authored proposals or posts cannot be deleted (domain §7.2).
  registerMeetingHook('groupReferences', async (client, { meetingId, groupId }) => {
    if (!groupId) return 0
    let total = 0
    for (const table of ['proposals', 'discussion_posts']) {
      const row = await client
        .from(table)
        .where('meeting_id', meetingId)
        .where('meeting_group_id', groupId)
        .count('* as n')
        .first()
      total += Number(row?.n ?? 0)
    }
    return total
  })

  registerTransitionHook('AgendaItem', 'after', async ({ trx, object, from, to, actor }) => {
    const item = object as AgendaItem
    if (to === 'archived') {
      const open = await Proposal.forOrganisation(item.organisationId)
        .where('agenda_item_id', item.id)
        .whereIn('state', ['published', 'voting'])
        .useTransaction(trx)
      await new SetProposalStates().execute({
        trx,
        organisationId: item.organisationId,
        targets: open.map((proposal) => ({ proposal: proposal.id, state: 'unhandled' as const })),
        actor,
        direct: true,
      })
    }
    const hidden = to === 'private' && from !== 'private'
    const shown = from === 'private' && to !== 'private'
    if (!hidden && !shown) return
    const proposals = await Proposal.forOrganisation(item.organisationId)
      .where('agenda_item_id', item.id)
      .useTransaction(trx)
    const messages: OutgoingMessage[] = proposals.map((proposal) =>
      hidden
        ? {
            channel: channels.participants(item.meetingId),
            type: 'proposal.deleted',
            data: { id: proposal.id, rev: proposal.rev, meeting: proposal.meetingId },
            rid: actor.requestId ?? null,
          }
        : {
            channel: channels.participants(item.meetingId),
            type: 'proposal.changed',
            data: proposalPayload(proposal),
            rid: actor.requestId ?? null,
          }
    )
    publishAfterCommit(trx, messages)
  })
}
