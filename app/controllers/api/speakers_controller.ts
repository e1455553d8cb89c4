import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { stringify } from 'csv-stringify/sync'
import Speaker from '#models/speaker'
import User from '#models/user'
import SpeakerList from '#models/speaker_list'
import GroupMembership from '#models/group_membership'
import SpeakerPolicy from '#policies/speaker_policy'
import { isMeetingModerator } from '#domain/speakers/permissions'
import { groupHistory, speakerHistory } from '#domain/speakers/budgets'
import { requestActor } from '#middleware/authenticate_middleware'
import { recordAudit } from '#services/audit_log'
import { listContext, speakerMeeting, systemContext, turnContext } from '#services/speaker_lookup'
import { speakerPayload } from '#transformers/speaker_transformer'
import {
  addSpeakerValidator,
  exportValidator,
  extendValidator,
  historyValidator,
  listSpeakersValidator,
  updateSpeakerValidator,
} from '#validators/speakers'
import {
  AddSpeaker,
  ChangeSpeakerTimer,
  DeleteSpeaker,
  StartSpeaker,
  StopSpeaker,
  UndoSpeaker,
  UpdateSpeaker,
  type TimerOperation,
} from '#actions/speakers/turns'

/** Speaker turns, history and export (api.md §6.15, §6.18, §11.4). */
export default class SpeakersController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listSpeakersValidator, {
      data: ctx.request.qs(),
    })
    const { list, system } = await listContext(ctx, filters.speaker_list, 'speaker_list')
    const query = Speaker.forOrganisation(ctx.organisation.id)
      .where('speaker_list_id', list.id)
      .orderBy('id')
    if (filters.finished === true) query.whereNotNull('seconds')
    if (filters.finished === false) query.whereNull('seconds')
    const now = Date.now()
    return { data: (await query).map((turn) => speakerPayload(turn, system, now)) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(addSpeakerValidator)
    const context = await listContext(ctx, input.speaker_list, 'speaker_list')
    await ctx.bouncer.with(SpeakerPolicy).authorize('addSpeaker', context.actor, context.facts)
    const { turn, created } = await new AddSpeaker().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      userId: input.user,
      kind: input.kind ?? 'speech',
      category: input.category ?? null,
      override: input.override ?? false,
      callerIsModerator: isMeetingModerator(context.actor),
      actor: requestActor(ctx),
    })
    ctx.response.status(created ? 201 : 200)
    return speakerPayload(turn, context.system, Date.now())
  }

  async show(ctx: HttpContext) {
    const { turn, system } = await turnContext(ctx, ctx.params.id)
    return speakerPayload(turn, system, Date.now())
  }

  async start(ctx: HttpContext) {
    const context = await turnContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('startSpeaker', context.actor, context.facts, context.list.id)
    const turn = await new StartSpeaker().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: context.turn.id,
      actor: requestActor(ctx),
    })
    return speakerPayload(turn, context.system, Date.now())
  }

  async stop(ctx: HttpContext) {
    return this.simple(ctx, StopSpeaker)
  }

  async undo(ctx: HttpContext) {
    return this.simple(ctx, UndoSpeaker)
  }

  async pause(ctx: HttpContext) {
    return this.timer(ctx, 'pause')
  }

  async resume(ctx: HttpContext) {
    return this.timer(ctx, 'resume')
  }

  async extend(ctx: HttpContext) {
    return this.timer(ctx, 'extend')
  }

  async update(ctx: HttpContext) {
    const context = await turnContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeSpeaker', context.actor, context.facts)
    const input = await ctx.request.validateUsing(updateSpeakerValidator)
    const turn = await new UpdateSpeaker().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: context.turn.id,
      seconds: input.seconds,
      note: input.note,
      actor: requestActor(ctx),
    })
    return speakerPayload(turn, context.system, Date.now())
  }

  async destroy(ctx: HttpContext) {
    const context = await turnContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeSpeaker', context.actor, context.facts)
    await new DeleteSpeaker().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: context.turn.id,
      actor: requestActor(ctx),
    })
    return ctx.response.noContent()
  }

  private async simple(ctx: HttpContext, Action: typeof StopSpeaker | typeof UndoSpeaker) {
    const context = await turnContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeSpeaker', context.actor, context.facts)
    const turn = await new Action().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: context.turn.id,
      actor: requestActor(ctx),
    })
    return speakerPayload(turn, context.system, Date.now())
  }

  private async timer(ctx: HttpContext, operation: TimerOperation) {
    const context = await turnContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeSpeaker', context.actor, context.facts)
    const seconds =
      operation === 'extend'
        ? (await ctx.request.validateUsing(extendValidator)).seconds
        : undefined
    const turn = await new ChangeSpeakerTimer().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: context.turn.id,
      operation,
      seconds,
      actor: requestActor(ctx),
    })
    return speakerPayload(turn, context.system, Date.now())
  }

  /**
   * GET /api/speaker-history: `[{user, times_spoken, seconds_spoken, points_of_order}]`
   * over finished turns, or per group with `group_by=group`; sortable (beyond.md B-ADD-03).
   */
  async history(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(historyValidator, { data: ctx.request.qs() })
    const { meeting, actor } = await speakerMeeting(ctx, filters.meeting)
    await ctx.bouncer.with(SpeakerPolicy).authorize('view', actor)
    const query = Speaker.forOrganisation(ctx.organisation.id)
      .where('speakers.meeting_id', meeting.id)
      .whereNotNull('speakers.seconds')
    if (filters.speaker_system) {
      query
        .join('speaker_lists', 'speaker_lists.id', 'speakers.speaker_list_id')
        .where('speaker_lists.speaker_system_id', filters.speaker_system)
        .select('speakers.*')
    }
    const turns = (await query).map((turn) => ({
      userId: turn.userId,
      seconds: turn.seconds!,
      kind: turn.kind,
    }))
    if (filters.group_by === 'group') {
      const memberships = await GroupMembership.forOrganisation(ctx.organisation.id).where(
        'meeting_id',
        meeting.id
      )
      const members = new Map<number, number[]>()
      for (const row of memberships)
        members.set(row.meetingGroupId, [...(members.get(row.meetingGroupId) ?? []), row.userId])
      return { data: groupHistory(turns, members, filters.ordering ?? 'user') }
    }
    return { data: speakerHistory(turns, filters.ordering ?? 'user') }
  }

  /**
   * GET /api/exports/speakers/{system}?format=csv|json (domain §4.6): columns
   * speaker_list, agenda_item, userid, started, seconds (+ kind, category).
   * Recorded in the audit log as an access entry.
   */
  async export(ctx: HttpContext) {
    const { format = 'csv' } = await ctx.request.validateUsing(exportValidator, {
      data: ctx.request.qs(),
    })
    const context = await systemContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('exportSpeakers', context.actor)
    const lists = await SpeakerList.forOrganisation(ctx.organisation.id).where(
      'speaker_system_id',
      context.system.id
    )
    const listById = new Map(lists.map((list) => [list.id, list]))
    const turns = await Speaker.forOrganisation(ctx.organisation.id)
      .whereIn(
        'speaker_list_id',
        lists.map((list) => list.id)
      )
      .whereNotNull('seconds')
      .orderBy('started_ms')
      .orderBy('id')
    const users = new Map(
      (
        await User.forOrganisation(ctx.organisation.id).whereIn('id', [
          ...new Set(turns.map((turn) => turn.userId)),
        ])
      ).map((u) => [u.id, u])
    )
    const rows = turns.map((turn) => ({
      speaker_list: turn.speakerListId,
      agenda_item: listById.get(turn.speakerListId)?.agendaItemId ?? null,
      userid: users.get(turn.userId)?.userid ?? null,
      started: turn.startedMs === null ? null : new Date(turn.startedMs).toISOString(),
      seconds: turn.seconds,
      kind: turn.kind,
      category: turn.category,
    }))
    await db.transaction(async (trx) => {
      await recordAudit(trx, requestActor(ctx), {
        organisationId: ctx.organisation.id,
        meetingId: context.meeting.id,
        action: 'access',
        event: 'speakers.exported',
        model: 'SpeakerListSystem',
        objectId: context.system.id,
        changes: { format: [null, format], rows: [null, rows.length] },
      })
    })
    const filename = `speakers-${context.system.id}.${format}`
    ctx.response.header('content-disposition', `attachment; filename="${filename}"`)
    ctx.response.header('cache-control', 'no-store')
    if (format === 'json') {
      ctx.response.header('content-type', 'application/json; charset=utf-8')
      return ctx.response.send(JSON.stringify(rows))
    }
    ctx.response.header('content-type', 'text/csv; charset=utf-8')
    return ctx.response.send(
      stringify(rows, {
        header: true,
        columns: [
          'speaker_list',
          'agenda_item',
          'userid',
          'started',
          'seconds',
          'kind',
          'category',
        ],
      })
    )
  }
}
