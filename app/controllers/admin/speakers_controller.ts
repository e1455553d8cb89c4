import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import Room from '#models/room'
import Speaker from '#models/speaker'
import SpeakerList from '#models/speaker_list'
import SpeakerListSystem from '#models/speaker_list_system'
import SpeakerSystemRole from '#models/speaker_system_role'
import User from '#models/user'
import AgendaItem from '#models/agenda_item'
import SpeakerPolicy from '#policies/speaker_policy'
import { isOrgManager } from '#domain/permissions/organisation'
import { runsLists } from '#domain/speakers/permissions'
import { speakerHistory } from '#domain/speakers/budgets'
import { requestActor } from '#middleware/authenticate_middleware'
import { organisationActor } from '#services/actor_facts'
import { listContext, systemContext, turnContext } from '#services/speaker_lookup'
import { openTurnsOf } from '#services/speaker_queue'
import { speakerPayload } from '#transformers/speaker_transformer'
import { createSpeakerListValidator } from '#validators/speakers'
import { CreateSpeakerList, TransitionSpeakerList } from '#actions/speakers/lists'
import { UpdateSpeakerSystem } from '#actions/speakers/systems'
import {
  ChangeSpeakerTimer,
  DeleteSpeaker,
  ShuffleSpeakerList,
  StartSpeaker,
  StopSpeaker,
  UndoSpeaker,
} from '#actions/speakers/turns'
import vine from '@vinejs/vine'

const turnActionValidator = vine.create({
  action: vine.enum(['start', 'stop', 'undo', 'pause', 'resume', 'delete'] as const),
})
const listEventValidator = vine.create({ event: vine.enum(['open', 'close'] as const) })
const activeListValidator = vine.create({
  active_list: vine.number().withoutDecimals().min(1).nullable().optional(),
})

const nameOf = (user: User | undefined, id: number) =>
  user
    ? [user.firstName, user.lastName].filter(Boolean).join(' ') ||
      user.userid ||
      user.email ||
      `#${id}`
    : `#${id}`

/**
 * Admin screens for speaker lists (organisation staff, meeting moderators and
 * list moderators): the systems the user runs, and per system its lists,
 * queues and history with the controls of the API. Same actions, audited with
 * source `admin`; the same SpeakerPolicy abilities.
 */
export default class SpeakersController {
  async index(ctx: HttpContext) {
    const user = ctx.currentUser!
    const organisation = await organisationActor(user)
    let meetingIds: number[]
    if (isOrgManager(organisation, ctx.organisation.id)) {
      meetingIds = (await Meeting.forOrganisation(ctx.organisation.id).select('id')).map(
        (meeting) => meeting.id
      )
    } else {
      const moderated = (
        await MeetingRole.forOrganisation(ctx.organisation.id).where('user_id', user.id)
      ).filter((row) => row.assigned.includes('mo'))
      meetingIds = moderated.map((row) => row.meetingId)
    }
    const listModerated = (
      await SpeakerSystemRole.forOrganisation(ctx.organisation.id).where('user_id', user.id)
    )
      .filter((row) => row.assigned.includes('list_moderator'))
      .map((row) => row.speakerSystemId)
    const systems = await SpeakerListSystem.forOrganisation(ctx.organisation.id)
      .where((query) => {
        query.whereIn('meeting_id', meetingIds.length ? meetingIds : [0])
        if (listModerated.length) query.orWhereIn('id', listModerated)
      })
      .orderBy('meeting_id', 'desc')
      .orderBy('id')
    const meetings = new Map(
      (
        await Meeting.forOrganisation(ctx.organisation.id).whereIn('id', [
          ...new Set(systems.map((s) => s.meetingId)),
          0,
        ])
      ).map((m) => [m.id, m])
    )
    const rooms = new Map(
      (
        await Room.forOrganisation(ctx.organisation.id).whereIn('id', [
          ...systems.map((s) => s.roomId),
          0,
        ])
      ).map((r) => [r.id, r])
    )
    return ctx.view.render('pages/admin/speakers/index', {
      systems: systems.map((system) => ({
        id: system.id,
        meeting: meetings.get(system.meetingId)?.title ?? `#${system.meetingId}`,
        meetingState: meetings.get(system.meetingId)?.state,
        room: rooms.get(system.roomId)?.title ?? '',
        roomId: system.roomId,
        state: system.state,
        method: system.methodName,
      })),
    })
  }

  async show(ctx: HttpContext) {
    const context = await systemContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('view', context.actor)
    const { system, meeting } = context
    const room = await Room.findInOrganisation(ctx.organisation.id, system.roomId)
    const lists = await SpeakerList.forOrganisation(ctx.organisation.id)
      .where('speaker_system_id', system.id)
      .orderBy('id')
    const items = new Map(
      (
        await AgendaItem.forOrganisation(ctx.organisation.id)
          .where('meeting_id', meeting.id)
          .orderBy('order')
      ).map((item) => [item.id, item])
    )
    const now = Date.now()
    const queues = await Promise.all(
      lists.map(async (list) => {
        const turns = await openTurnsOf(list)
        const byId = new Map(turns.map((turn) => [turn.id, turn]))
        return {
          list,
          turns: list.order.map((id) => byId.get(id)).filter((turn): turn is Speaker => !!turn),
        }
      })
    )
    const finished = await Speaker.forOrganisation(ctx.organisation.id)
      .whereIn('speaker_list_id', [...lists.map((list) => list.id), 0])
      .whereNotNull('seconds')
    const userIds = [
      ...new Set([
        ...queues.flatMap((q) => q.turns.map((t) => t.userId)),
        ...finished.map((t) => t.userId),
      ]),
    ]
    const users = new Map(
      (await User.forOrganisation(ctx.organisation.id).whereIn('id', [...userIds, 0])).map((u) => [
        u.id,
        u,
      ])
    )
    return ctx.view.render('pages/admin/speakers/show', {
      system,
      meeting,
      room,
      canRun: runsLists(context.actor),
      agendaItems: [...items.values()].map((item) => ({
        value: String(item.id),
        label: item.title,
      })),
      lists: queues.map(({ list, turns }) => ({
        id: list.id,
        title: list.title,
        state: list.state,
        active: system.activeListId === list.id,
        agendaItem: list.agendaItemId ? (items.get(list.agendaItemId)?.title ?? '') : '',
        turns: turns.map((turn) => {
          const payload = speakerPayload(turn, system, now)
          return {
            id: turn.id,
            name: nameOf(users.get(turn.userId), turn.userId),
            kind:
              turn.kind === 'point_of_order'
                ? `point of order${turn.category ? ` (${turn.category})` : ''}`
                : '',
            speaking: turn.isSpeaking,
            paused: payload.paused,
            elapsed: payload.elapsed_seconds,
            remaining: payload.remaining_seconds,
          }
        }),
      })),
      history: speakerHistory(
        finished.map((turn) => ({ userId: turn.userId, seconds: turn.seconds!, kind: turn.kind })),
        '-seconds_spoken'
      ).map((row) => ({ ...row, name: nameOf(users.get(row.user), row.user) })),
    })
  }

  async storeList(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createSpeakerListValidator, {
      data: {
        ...ctx.request.only(['title', 'speaker_system']),
        speaker_system: Number(ctx.request.input('speaker_system')),
        agenda_item: ctx.request.input('agenda_item')
          ? Number(ctx.request.input('agenda_item'))
          : null,
      },
    })
    const context = await systemContext(ctx, input.speaker_system)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeList', context.actor, context.facts)
    await new CreateSpeakerList().execute({
      system: context.system,
      agendaItemId: input.agenda_item ?? null,
      title: input.title,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'List created')
    return ctx.response.redirect(`/admin/speakers/systems/${context.system.id}`)
  }

  async setActive(ctx: HttpContext) {
    const context = await systemContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('setActiveList', context.actor, context.facts)
    const raw = ctx.request.input('active_list')
    const { active_list: activeList } = await activeListValidator.validate({
      active_list: raw ? Number(raw) : null,
    })
    await new UpdateSpeakerSystem().execute({
      system: context.system,
      fields: {},
      activeList: activeList ?? null,
      actor: requestActor(ctx, 'admin'),
    })
    return ctx.response.redirect(`/admin/speakers/systems/${context.system.id}`)
  }

  async listEvent(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    const { event } = await listEventValidator.validate(ctx.request.only(['event']))
    await new TransitionSpeakerList().execute({
      list: context.list,
      event,
      actor: requestActor(ctx, 'admin'),
      speakerActor: context.actor,
    })
    return ctx.response.redirect(`/admin/speakers/systems/${context.system.id}`)
  }

  async shuffle(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('shuffle', context.actor, context.facts)
    await new ShuffleSpeakerList().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      actor: requestActor(ctx, 'admin'),
    })
    return ctx.response.redirect(`/admin/speakers/systems/${context.system.id}`)
  }

  async next(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('startSpeaker', context.actor, context.facts, context.list.id)
    await new StartSpeaker().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: 'next',
      actor: requestActor(ctx, 'admin'),
    })
    return ctx.response.redirect(`/admin/speakers/systems/${context.system.id}`)
  }

  async turn(ctx: HttpContext) {
    const context = await turnContext(ctx, ctx.params.id)
    const { action } = await turnActionValidator.validate(ctx.request.only(['action']))
    const base = {
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: context.turn.id,
      actor: requestActor(ctx, 'admin'),
    }
    if (action === 'start') {
      await ctx.bouncer
        .with(SpeakerPolicy)
        .authorize('startSpeaker', context.actor, context.facts, context.list.id)
      await new StartSpeaker().execute(base)
    } else {
      await ctx.bouncer.with(SpeakerPolicy).authorize('changeSpeaker', context.actor, context.facts)
      if (action === 'stop') await new StopSpeaker().execute(base)
      else if (action === 'undo') await new UndoSpeaker().execute(base)
      else if (action === 'delete') await new DeleteSpeaker().execute(base)
      else await new ChangeSpeakerTimer().execute({ ...base, operation: action })
    }
    return ctx.response.redirect(`/admin/speakers/systems/${context.system.id}`)
  }
}
