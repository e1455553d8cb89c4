import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import AgendaItem from '#models/agenda_item'
import db from '@adonisjs/lucid/services/db'
import { batch, registerSection, type SectionContext } from '#realtime/snapshot_sections'
import { meetingPayloadFor } from '#transformers/meeting_transformer'
import { agendaItemPayload } from '#transformers/agenda_item_transformer'

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
      const rows = await MeetingRole.forOrganisation(organisation.id)
        .where('meeting_id', params.meetingId)
        .orderBy('id')
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
        const query = AgendaItem.forOrganisation(organisation.id).where(
          'meeting_id',
          params.meetingId
        )
        if (!everything) query.whereNot('state', 'private')
        const items = await query.orderBy('order').orderBy('id')
        return [
          batch(
            'agenda_item.changed',
            items.map((item) => agendaItemPayload(item))
          ),
        ]
      },
      { shared: true }
    )
    registerSection(
      kind,
      'proposal.proposals',
      async ({ organisation, params }) => {
        // Raw rows: hydrating 2,000 Lucid models costs more than the rest of the snapshot together.
        const query = db
          .from('proposals')
          .where('proposals.organisation_id', organisation.id)
          .where('proposals.meeting_id', params.meetingId)
        if (!everything) {
          query
            .join('agenda_items', 'agenda_items.id', 'proposals.agenda_item_id')
            .whereNot('agenda_items.state', 'private')
        }
        const rows = await query.select('proposals.*').orderBy('proposals.id')
        return [batch('proposal.changed', rows.map(proposalPayloadFromRow))]
      },
      { shared: true }
    )
  }
}

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value)
const isoOf = (value: unknown) =>
  value instanceof Date
    ? value.toISOString()
    : value
      ? new Date(`${String(value).replace(' ', 'T')}Z`).toISOString()
      : null

/**
 * `proposalPayload` (app/transformers/proposal_transformer.ts) from a raw row,
 * field for field; a functional test compares both so they cannot drift apart.
 */
export function proposalPayloadFromRow(row: Record<string, any>) {
  return {
    id: row.id,
    rev: row.rev,
    meeting: row.meeting_id,
    agenda_item: row.agenda_item_id,
    shortname: row.shortname,
    prop_id: row.prop_id,
    title: row.title,
    body: row.body,
    state: row.state,
    tags: json(row.tags) ?? [],
    mentions: json(row.mentions) ?? [],
    author: row.author_id,
    meeting_group: row.meeting_group_id,
    as_group: Boolean(row.as_group),
    created: isoOf(row.created_at),
    modified: isoOf(row.updated_at),
    ...(row.shortname === 'diff_proposal'
      ? { paragraph: row.paragraph_id, body_diff_brief: row.body_diff_brief ?? '' }
      : {}),
  }
}
