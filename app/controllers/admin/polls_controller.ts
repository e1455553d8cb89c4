import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import AgendaItem from '#models/agenda_item'
import Poll from '#models/poll'
import Proposal from '#models/proposal'
import ElectoralRegister from '#models/electoral_register'
import { fieldError, notFound } from '#domain/errors'
import { describeEvents } from '#domain/state_machines/machine'
import { pollMachine } from '#domain/polls/state_machine'
import { pollMethods } from '#domain/polls/counting/index'
import { receiptModes } from '#domain/polls/receipts'
import PollPolicy from '#policies/poll_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { formatTimestamp } from '#services/admin_pages'
import { meetingActor } from '#services/meeting_facts'
import { isPollMethod, pollMachineFacts, pollProposalIds, pollTurnout } from '#services/polls'
import { CreatePoll, UpdatePoll } from '#actions/polls/save_poll'
import TransitionPoll, { pollCan } from '#actions/polls/transition_poll'

const createValidator = vine.create({
  agenda_item: vine.number().withoutDecimals().min(1),
  title: vine.string().trim().minLength(1).maxLength(70),
  method_name: vine.string().trim().minLength(1).maxLength(20),
  proposals: vine
    .array(vine.number().withoutDecimals().min(1))
    .maxLength(500)
    .distinct()
    .optional(),
  settings: vine.string().trim().maxLength(2000).optional(),
  secret: vine.boolean().optional(),
  receipt_mode: vine.enum(receiptModes).optional(),
  withheld_result: vine.boolean().optional(),
  start: vine.boolean().optional(),
})
const editValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(70),
  settings: vine.string().trim().maxLength(2000).optional(),
  secret: vine.boolean().optional(),
  receipt_mode: vine.enum(receiptModes).optional(),
  withheld_result: vine.boolean().optional(),
  close_at: vine.string().trim().maxLength(40).optional(),
})

/** The receipt mode select of the poll forms (B-NEW-02: content mode carries a warning). */
const receiptModeOptions = [
  { value: 'inclusion', label: 'Inclusion: voters can check that their ballot was counted' },
  {
    value: 'content',
    label: 'Content: voters can check what their ballot says (and can prove it to others)',
  },
]
const receiptModeHint =
  'Warning: in content mode the receipt code stands next to the ballot, so a voter can show anyone ' +
  'how they voted (vote buying, pressure). Use it only where that is not a concern.'
const eventValidator = vine.create({
  event: vine.string().trim().minLength(1).maxLength(60),
  reason: vine.string().trim().maxLength(2000).optional(),
})

/**
 * Admin screens for polls (moderators): per meeting the polls with live
 * turnout and a creation form; per poll the events, turnout, register,
 * result (STV rounds as a table) and the exports. Same actions and machine
 * as the API, audited with source `admin`.
 */
export default class PollsController {
  async index(ctx: HttpContext) {
    const roles = (
      await MeetingRole.forOrganisation(ctx.organisation.id).where('user_id', ctx.currentUser!.id)
    ).filter((role) => role.assigned.includes('mo'))
    const meetings = roles.length
      ? await Meeting.forOrganisation(ctx.organisation.id)
          .whereIn(
            'id',
            roles.map((role) => role.meetingId)
          )
          .orderBy('id', 'desc')
      : []
    const counts = new Map<number, number>()
    if (meetings.length) {
      const polls = await Poll.forOrganisation(ctx.organisation.id)
        .whereIn(
          'meeting_id',
          meetings.map((m) => m.id)
        )
        .select('meeting_id')
      for (const poll of polls) counts.set(poll.meetingId, (counts.get(poll.meetingId) ?? 0) + 1)
    }
    return ctx.view.render('pages/admin/polls/index', {
      meetings: meetings.map((meeting) => ({
        id: meeting.id,
        title: meeting.title,
        state: meeting.state,
        polls: counts.get(meeting.id) ?? 0,
      })),
    })
  }

  async meeting(ctx: HttpContext) {
    const meeting = await this.moderatedMeeting(ctx, ctx.params.id)
    const polls = await Poll.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id', 'desc')
    const items = await AgendaItem.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('order')
    const proposals = await Proposal.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .whereIn('state', ['published', 'voting'])
      .orderBy('id')
    const registers = await ElectoralRegister.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id', 'desc')
    const rows = []
    for (const poll of polls) {
      rows.push({
        id: poll.id,
        title: poll.title,
        method: poll.methodName,
        state: poll.state,
        secret: poll.secret,
        ...(await pollTurnout(poll)),
      })
    }
    return ctx.view.render('pages/admin/polls/meeting', {
      meeting: {
        id: meeting.id,
        title: meeting.title,
        state: meeting.state,
        erPolicy: meeting.erPolicyName,
        defaultSecretPolls: meeting.defaultSecretPolls,
      },
      polls: rows,
      receiptModes: receiptModeOptions,
      receiptModeHint,
      items: items.map((item) => ({ value: item.id, label: `${item.title} (${item.state})` })),
      proposals: proposals.map((p) => ({
        id: p.id,
        propId: p.propId,
        title: p.title,
        item: p.agendaItemId,
        state: p.state,
      })),
      methods: Object.values(pollMethods)
        .filter((method) => isPollMethod(method.id))
        .map((method) => ({
          value: method.id,
          label: method.title + (method.discouraged ? ' (discouraged)' : ''),
        })),
      registers: registers.map((r) => ({
        id: r.id,
        source: r.source,
        voters: r.voters,
        totalWeight: r.totalWeight,
        created: formatTimestamp(r.createdAt),
      })),
    })
  }

  async store(ctx: HttpContext) {
    const meeting = await this.moderatedMeeting(ctx, ctx.params.id)
    const input = await ctx.request.validateUsing(createValidator)
    const item = await AgendaItem.findInOrganisation(ctx.organisation.id, input.agenda_item)
    if (!item || item.meetingId !== meeting.id)
      throw fieldError('agenda_item', 'No such agenda item', 'exists')
    await ctx.bouncer.with(PollPolicy).authorize('add', meeting, item)
    let settings: Record<string, unknown> | null = null
    if (input.settings) {
      try {
        settings = JSON.parse(input.settings)
      } catch {
        throw fieldError('settings', 'Settings must be a JSON object, e.g. {"winners": 2}', 'json')
      }
    }
    const poll = await new CreatePoll().execute({
      meeting,
      item,
      fields: {
        title: input.title,
        methodName: input.method_name,
        proposals: input.proposals ?? [],
        settings,
        secret: input.secret ?? false,
        // Unset: the default for the chosen secrecy (docs/polls.md).
        receiptMode: input.receipt_mode ?? undefined,
        withheldResult: input.withheld_result ?? false,
      },
      start: input.start,
      user: ctx.currentUser,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Poll “${poll.title}” created (${poll.state})`)
    return ctx.response.redirect(`/admin/polls/${poll.id}`)
  }

  async show(ctx: HttpContext) {
    const { poll, meeting, item } = await this.moderatedPoll(ctx)
    const proposalIds = await pollProposalIds(db.connection(), poll)
    const proposals = await Proposal.forOrganisation(ctx.organisation.id)
      .whereIn('id', proposalIds)
      .orderBy('id')
    const label = new Map(proposals.map((p) => [String(p.id), `#${p.propId} ${p.title}`]))
    const facts = await pollMachineFacts(db.connection(), poll, meeting, item)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const events = describeEvents(
      pollMachine,
      poll.state,
      facts,
      pollCan(actor, { poll, meeting, item })
    )
    const register = poll.electoralRegisterId
      ? await ElectoralRegister.findInOrganisation(ctx.organisation.id, poll.electoralRegisterId)
      : null
    const result = poll.result as Record<string, any> | null
    // STV rounds as a table: one row per round, one column per candidate.
    const rounds =
      Array.isArray(result?.rounds) &&
      result!.rounds.length &&
      Array.isArray(result!.rounds[0]?.vote_count)
        ? result!.rounds.map((round: any, index: number) => ({
            number: index + 1,
            method: round.method,
            status: round.status,
            selected: (round.selected ?? [])
              .map((id: unknown) => label.get(String(id)) ?? String(id))
              .join(', '),
            counts: Object.fromEntries(
              (round.vote_count as Array<[unknown, unknown]>).map(([id, n]) => [
                String(id),
                String(n),
              ])
            ),
          }))
        : []
    return ctx.view.render('pages/admin/polls/show', {
      poll: {
        id: poll.id,
        title: poll.title,
        method: poll.methodName,
        settings: JSON.stringify(poll.settings),
        settingsRaw: poll.settings ? JSON.stringify(poll.settings) : '',
        editable: poll.state === 'private' || poll.state === 'upcoming',
        closeAtInput: poll.closeAt ? poll.closeAt.toUTC().toFormat("yyyy-LL-dd'T'HH:mm") : '',
        state: poll.state,
        secret: poll.secret,
        receiptMode: poll.receiptMode,
        withheld: poll.withheldResult,
        quorum: poll.quorum ? JSON.stringify(poll.quorum) : null,
        majority: poll.majority ? JSON.stringify(poll.majority) : null,
        started: formatTimestamp(poll.startedAt),
        closed: formatTimestamp(poll.closedAt),
        closeAt: formatTimestamp(poll.closeAt),
        checksum: poll.ballotChecksum,
        abstains: poll.abstains,
        reason: poll.resultReason,
      },
      meeting: { id: meeting.id, title: meeting.title },
      receiptModes: receiptModeOptions,
      receiptModeHint,
      proposals: proposals.map((p) => ({
        id: String(p.id),
        label: label.get(String(p.id)),
        state: p.state,
      })),
      turnout: await pollTurnout(poll),
      register: register
        ? {
            id: register.id,
            source: register.source,
            voters: register.voters,
            totalWeight: register.totalWeight,
            created: formatTimestamp(register.createdAt),
          }
        : null,
      events: events.map((e) => ({ ...e, reasons: e.reasons.map((r) => r.message).join('; ') })),
      result,
      approved: ((result?.approved as unknown[]) ?? []).map(
        (id) => label.get(String(id)) ?? String(id)
      ),
      denied: ((result?.denied as unknown[]) ?? []).map(
        (id) => label.get(String(id)) ?? String(id)
      ),
      rounds,
      resultJson: result ? JSON.stringify(result, null, 2) : null,
    })
  }

  /** Edit while private/upcoming (the same UpdatePoll action and policy as PATCH /api/polls/{id}). */
  async update(ctx: HttpContext) {
    const { poll, meeting, item } = await this.moderatedPoll(ctx)
    await ctx.bouncer.with(PollPolicy).authorize('change', poll, meeting, item)
    const input = await ctx.request.validateUsing(editValidator)
    let settings: Record<string, unknown> | null = null
    if (input.settings) {
      try {
        settings = JSON.parse(input.settings)
      } catch {
        throw fieldError('settings', 'Settings must be a JSON object, e.g. {"winners": 2}', 'json')
      }
    }
    let closeAt: DateTime | null = null
    if (input.close_at) {
      closeAt = DateTime.fromISO(input.close_at, { zone: 'utc' })
      if (!closeAt.isValid)
        throw fieldError('close_at', 'A date and time (UTC), e.g. 2026-12-01T18:00', 'date')
    }
    await new UpdatePoll().execute({
      poll,
      fields: {
        title: input.title,
        settings,
        secret: input.secret ?? false,
        receiptMode: input.receipt_mode ?? undefined,
        withheldResult: input.withheld_result ?? false,
        closeAt,
      },
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Poll saved')
    return ctx.response.redirect(`/admin/polls/${poll.id}`)
  }

  async fire(ctx: HttpContext) {
    const { poll } = await this.moderatedPoll(ctx)
    const { event, reason } = await ctx.request.validateUsing(eventValidator)
    const changed = await new TransitionPoll().execute({
      poll,
      event,
      reason,
      user: ctx.currentUser,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Poll is now ${changed.state}`)
    return ctx.response.redirect(`/admin/polls/${poll.id}`)
  }

  private async moderatedMeeting(ctx: HttpContext, id: number | string) {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
    if (!meeting || (await ctx.bouncer.with(PollPolicy).denies('moderate', meeting)))
      throw notFound('No such meeting')
    return meeting
  }

  private async moderatedPoll(ctx: HttpContext) {
    const poll = await Poll.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!poll) throw notFound('No such poll')
    const meeting = await this.moderatedMeeting(ctx, poll.meetingId)
    const item = poll.agendaItemId
      ? await AgendaItem.findInOrganisation(ctx.organisation.id, poll.agendaItemId)
      : null
    return { poll, meeting, item }
  }
}
