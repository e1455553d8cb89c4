import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { stringify } from 'csv-stringify/sync'
import Proposal from '#models/proposal'
import DiscussionPost from '#models/discussion_post'
import User from '#models/user'
import MeetingGroup from '#models/meeting_group'
import type Meeting from '#models/meeting'
import { notFound } from '#domain/errors'
import { htmlToText } from '#domain/rich_text/content'
import ProposalPolicy from '#policies/proposal_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { recordAudit } from '#services/audit_log'
import { readableMeeting } from '#services/content_lookup'
import { exportValidator } from '#validators/proposals'

const PROPOSAL_COLUMNS = [
  'prop_id',
  'agenda_item',
  'state',
  'author',
  'meeting_group',
  'as_group',
  'created',
  'body_text',
]
const POST_COLUMNS = ['agenda_item', 'author', 'meeting_group', 'as_group', 'created', 'body_text']

/**
 * GET /api/exports/proposals/{meeting} and /api/exports/discussion-posts/{meeting}
 * (api.md §6.18, domain §4.6 columns): moderators; recorded as access entries.
 * `author` is the author's userid, `meeting_group` the group's groupid.
 */
export default class ContentExportsController {
  async proposals(ctx: HttpContext) {
    const { meeting, format } = await this.prepare(ctx)
    const rows = await Proposal.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('created_at')
      .orderBy('id')
    const names = await this.names(ctx, rows)
    const data = rows.map((row) => ({
      prop_id: row.propId,
      agenda_item: row.agendaItemId,
      state: row.state,
      author: row.authorId ? (names.users.get(row.authorId) ?? null) : null,
      meeting_group: row.meetingGroupId ? (names.groups.get(row.meetingGroupId) ?? null) : null,
      as_group: row.asGroup,
      created: row.createdAt.toUTC().toISO(),
      body_text: htmlToText(row.body),
    }))
    return this.send(ctx, meeting, 'proposals', format, PROPOSAL_COLUMNS, data)
  }

  async discussionPosts(ctx: HttpContext) {
    const { meeting, format } = await this.prepare(ctx)
    const rows = await DiscussionPost.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('created_at')
      .orderBy('id')
    const names = await this.names(ctx, rows)
    const data = rows.map((row) => ({
      agenda_item: row.agendaItemId,
      author: row.authorId ? (names.users.get(row.authorId) ?? null) : null,
      meeting_group: row.meetingGroupId ? (names.groups.get(row.meetingGroupId) ?? null) : null,
      as_group: row.asGroup,
      created: row.createdAt.toUTC().toISO(),
      body_text: htmlToText(row.body),
    }))
    return this.send(ctx, meeting, 'discussion-posts', format, POST_COLUMNS, data)
  }

  private async prepare(ctx: HttpContext) {
    const { format = 'csv' } = await ctx.request.validateUsing(exportValidator, {
      data: ctx.request.qs(),
    })
    const meeting = await readableMeeting(ctx, Number(ctx.params.id)).catch(() => {
      throw notFound('No such meeting')
    })
    await ctx.bouncer.with(ProposalPolicy).authorize('export', meeting)
    return { meeting, format }
  }

  private async names(
    ctx: HttpContext,
    rows: Array<{ authorId: number | null; meetingGroupId: number | null }>
  ) {
    const userIds = [
      ...new Set(rows.map((row) => row.authorId).filter((id): id is number => id !== null)),
    ]
    const groupIds = [
      ...new Set(rows.map((row) => row.meetingGroupId).filter((id): id is number => id !== null)),
    ]
    const users = userIds.length
      ? await User.forOrganisation(ctx.organisation.id).whereIn('id', userIds)
      : []
    const groups = groupIds.length
      ? await MeetingGroup.forOrganisation(ctx.organisation.id).whereIn('id', groupIds)
      : []
    return {
      users: new Map(
        users.map((user) => [user.id, user.userid ?? `${user.firstName} ${user.lastName}`.trim()])
      ),
      groups: new Map(groups.map((group) => [group.id, group.groupid])),
    }
  }

  private async send(
    ctx: HttpContext,
    meeting: Meeting,
    kind: string,
    format: 'csv' | 'json',
    columns: string[],
    rows: Array<Record<string, unknown>>
  ) {
    await db.transaction(async (trx) => {
      await recordAudit(trx, requestActor(ctx), {
        organisationId: ctx.organisation.id,
        meetingId: meeting.id,
        action: 'access',
        event: `${kind.replace('-', '_')}.exported`,
        model: 'Meeting',
        objectId: meeting.id,
        changes: { format: [null, format], rows: [null, rows.length] },
      })
    })
    ctx.response.header(
      'content-disposition',
      `attachment; filename="${kind}-${meeting.id}.${format}"`
    )
    ctx.response.header('cache-control', 'no-store')
    if (format === 'json') {
      ctx.response.header('content-type', 'application/json; charset=utf-8')
      return ctx.response.send(JSON.stringify(rows))
    }
    ctx.response.header('content-type', 'text/csv; charset=utf-8')
    return ctx.response.send(
      stringify(rows, {
        header: true,
        columns,
        cast: { boolean: (value) => (value ? 'true' : 'false') },
      })
    )
  }
}
