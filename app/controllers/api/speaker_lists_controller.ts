import type { HttpContext } from '@adonisjs/core/http'
import SpeakerList from '#models/speaker_list'
import SpeakerListSystem from '#models/speaker_list_system'
import AgendaItem from '#models/agenda_item'
import SpeakerPolicy from '#policies/speaker_policy'
import { fieldError } from '#domain/errors'
import { describeEvents } from '#domain/state_machines/machine'
import { speakerListMachine } from '#domain/speakers/state_machines'
import { isMeetingModerator, speakerPermission } from '#domain/speakers/permissions'
import { requestActor } from '#middleware/authenticate_middleware'
import { listContext, speakerMeeting, systemContext } from '#services/speaker_lookup'
import { openTurnsOf } from '#services/speaker_queue'
import { speakerListPayload, speakerPayload } from '#transformers/speaker_transformer'
import {
  createSpeakerListValidator,
  enterValidator,
  eventValidator,
  leaveValidator,
  listSpeakerListsValidator,
  updateSpeakerListValidator,
} from '#validators/speakers'
import {
  CreateSpeakerList,
  DeleteSpeakerList,
  TransitionSpeakerList,
  UpdateSpeakerList,
} from '#actions/speakers/lists'
import {
  EnterSpeakerList,
  LeaveSpeakerList,
  ShuffleSpeakerList,
  StartSpeaker,
} from '#actions/speakers/turns'

async function payloadOf(list: SpeakerList, system: SpeakerListSystem) {
  return speakerListPayload(list, system, await openTurnsOf(list))
}

/** Speaker lists (api.md §6.15, §11.4): CRUD, open/close, enter, leave, shuffle. */
export default class SpeakerListsController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listSpeakerListsValidator, {
      data: ctx.request.qs(),
    })
    let meetingId = filters.meeting
    if (filters.speaker_system) {
      const { system } = await systemContext(ctx, filters.speaker_system, 'speaker_system')
      meetingId = system.meetingId
    } else if (filters.agenda_item) {
      const item = await AgendaItem.findInOrganisation(ctx.organisation.id, filters.agenda_item)
      if (!item) throw fieldError('agenda_item', 'No such agenda item', 'exists')
      meetingId = item.meetingId
    }
    if (!meetingId)
      throw fieldError('meeting', 'Give meeting, agenda_item or speaker_system', 'required')
    const { meeting, actor } = await speakerMeeting(ctx, meetingId)
    await ctx.bouncer.with(SpeakerPolicy).authorize('view', actor)
    const query = SpeakerList.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    if (filters.speaker_system) query.where('speaker_system_id', filters.speaker_system)
    if (filters.agenda_item) query.where('agenda_item_id', filters.agenda_item)
    const lists = await query
    // Lists of private agenda items are for moderators only (agenda visibility, domain §8.3).
    let visible = lists
    if (!isMeetingModerator(actor)) {
      const itemIds = [
        ...new Set(
          lists.map((list) => list.agendaItemId).filter((value): value is number => value !== null)
        ),
      ]
      const privateIds = new Set(
        (itemIds.length
          ? await AgendaItem.forOrganisation(ctx.organisation.id)
              .whereIn('id', itemIds)
              .where('state', 'private')
          : []
        ).map((item) => item.id)
      )
      visible = lists.filter(
        (list) => list.agendaItemId === null || !privateIds.has(list.agendaItemId)
      )
    }
    const systems = new Map(
      (
        await SpeakerListSystem.forOrganisation(ctx.organisation.id).where('meeting_id', meeting.id)
      ).map((s) => [s.id, s])
    )
    return {
      data: await Promise.all(
        visible.map((list) => payloadOf(list, systems.get(list.speakerSystemId)!))
      ),
    }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createSpeakerListValidator)
    const context = await systemContext(ctx, input.speaker_system, 'speaker_system')
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeList', context.actor, context.facts)
    const list = await new CreateSpeakerList().execute({
      system: context.system,
      agendaItemId: input.agenda_item ?? null,
      title: input.title,
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return payloadOf(list, context.system)
  }

  async show(ctx: HttpContext) {
    const { list, system } = await listContext(ctx, ctx.params.id)
    return payloadOf(list, system)
  }

  async update(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeList', context.actor, context.facts)
    const { title } = await ctx.request.validateUsing(updateSpeakerListValidator)
    const list = await new UpdateSpeakerList().execute({
      list: context.list,
      title,
      actor: requestActor(ctx),
    })
    return payloadOf(list, context.system)
  }

  async destroy(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('deleteList', context.actor, context.facts)
    await new DeleteSpeakerList().execute({ list: context.list, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  async events(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    return {
      state: context.list.state,
      events: describeEvents(speakerListMachine, context.list.state, {}, (permission) =>
        speakerPermission(permission, context.actor, context.facts)
      ),
    }
  }

  async fire(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    const { event } = await ctx.request.validateUsing(eventValidator)
    const list = await new TransitionSpeakerList().execute({
      list: context.list,
      event,
      actor: requestActor(ctx),
      speakerActor: context.actor,
    })
    return {
      state: list.state,
      events: describeEvents(speakerListMachine, list.state, {}, (permission) =>
        speakerPermission(permission, context.actor, context.facts)
      ),
      object: await payloadOf(list, context.system),
    }
  }

  /** 201 when queued now, 200 when already queued (domain §12.6). */
  async enter(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    const input = await ctx.request.validateUsing(enterValidator)
    const kind = input.kind ?? 'speech'
    const callerSpeaking = (await openTurnsOf(context.list)).some(
      (turn) => turn.userId === ctx.currentUser!.id && turn.isSpeaking
    )
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize(
        'enter',
        context.actor,
        context.facts,
        { id: context.list.id, state: context.list.state, callerSpeaking },
        kind
      )
    const { created } = await new EnterSpeakerList().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      userId: ctx.currentUser!.id,
      kind,
      category: input.category ?? null,
      actor: requestActor(ctx),
    })
    const list = await SpeakerList.findInOrganisation(ctx.organisation.id, context.list.id)
    ctx.response.status(created ? 201 : 200)
    return payloadOf(list!, context.system)
  }

  async leave(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    const input = await ctx.request.validateUsing(leaveValidator)
    await new LeaveSpeakerList().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      userId: ctx.currentUser!.id,
      kind: input.kind ?? 'speech',
      actor: requestActor(ctx),
    })
    const list = await SpeakerList.findInOrganisation(ctx.organisation.id, context.list.id)
    return payloadOf(list!, context.system)
  }

  /** POST /api/speaker-lists/{id}/next: starts the first waiting turn (stopping the current one). */
  async next(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('startSpeaker', context.actor, context.facts, context.list.id)
    const turn = await new StartSpeaker().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      turnId: 'next',
      actor: requestActor(ctx),
    })
    return speakerPayload(turn, context.system, Date.now())
  }

  async shuffle(ctx: HttpContext) {
    const context = await listContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('shuffle', context.actor, context.facts)
    const list = await new ShuffleSpeakerList().execute({
      organisationId: ctx.organisation.id,
      listId: context.list.id,
      actor: requestActor(ctx),
    })
    return payloadOf(list, context.system)
  }
}
