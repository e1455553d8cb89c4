import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import { batch, registerSection, type SectionContext } from '#realtime/snapshot_sections'
import { meetingPayloadFor } from '#transformers/meeting_transformer'
import { agendaItemPayload } from '#transformers/agenda_item_transformer'
import { proposalPayload } from '#transformers/proposal_transformer'

/**
 * Meeting-level snapshot sections (domain §17.3) that the realtime layer
 * registers from the existing models and transformers: `meeting.meeting`,
 * `meeting.roles`, and on participants/moderators `agenda.items` and
 * `proposal.proposals` with the channel's visibility branching (participants:
 * non-private items and their proposals only). A module that registers a
 * section of the same name later replaces these.
 */
async function meetingOf({ organisation, params }: SectionContext) {
  return Meeting.findInOrganisation(organisation.id, params.meetingId)
}

export function registerMeetingSections() {
  registerSection(
    'meeting',
    'meeting.meeting',
    async (context) => {
      const meeting = await meetingOf(context)
      return meeting ? [{ type: 'meeting.changed', data: await meetingPayloadFor(meeting) }] : []
    },
    { shared: true }
  )

  registerSection(
    'meeting',
    'meeting.roles',
    async ({ organisation, params }) => {
      const rows = await MeetingRole.forOrganisation(organisation.id).where('meeting_id', params.meetingId).orderBy('id')
      return [
        batch(
          'roles.changed',
          rows.map((row) => ({
            model: 'meeting',
            context: params.meetingId,
            meeting: params.meetingId,
            user: row.userId,
            assigned: row.assigned,
            added: [],
            removed: [],
          }))
        ),
      ]
    },
    { shared: true }
  )

  for (const kind of ['participants', 'moderators'] as const) {
    const everything = kind === 'moderators'
    registerSection(
      kind,
      'agenda.items',
      async ({ organisation, params }) => {
        const query = AgendaItem.forOrganisation(organisation.id).where('meeting_id', params.meetingId)
        if (!everything) query.whereNot('state', 'private')
        const items = await query.orderBy('order').orderBy('id')
        return [batch('agenda_item.changed', items.map((item) => agendaItemPayload(item)))]
      },
      { shared: true }
    )
    registerSection(
      kind,
      'proposal.proposals',
      async ({ organisation, params }) => {
        const query = Proposal.forOrganisation(organisation.id).where('proposals.meeting_id', params.meetingId)
        if (!everything) {
          query.whereIn(
            'proposals.agenda_item_id',
            AgendaItem.forOrganisation(organisation.id)
              .where('meeting_id', params.meetingId)
              .whereNot('state', 'private')
              .select('id')
          )
        }
        const proposals = await query.orderBy('proposals.id')
        return [batch('proposal.changed', proposals.map((proposal) => proposalPayload(proposal)))]
      },
      { shared: true }
    )
  }
}
