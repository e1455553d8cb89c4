import type { HttpContext } from '@adonisjs/core/http'
import Room from '#models/room'
import SpeakerList from '#models/speaker_list'
import Speaker from '#models/speaker'
import SpeakerPolicy from '#policies/speaker_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { roomContext, speakerMeeting } from '#services/speaker_lookup'
import { roomProjection } from '#services/room_projection'
import {
  createRoomValidator,
  handleRoomValidator,
  handleSpeakerValidator,
  listByMeetingValidator,
  markTextValidator,
  updateRoomValidator,
} from '#validators/speakers'
import {
  CreateRoom,
  DeleteRoom,
  HandleRoom,
  MarkRoomText,
  UpdateRoom,
  roomWithExtras,
} from '#actions/rooms/rooms'

/** Rooms / projector mode (api.md §6.16). */
export default class RoomsController {
  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(listByMeetingValidator, {
      data: ctx.request.qs(),
    })
    const { meeting, actor } = await speakerMeeting(ctx, meetingId)
    await ctx.bouncer.with(SpeakerPolicy).authorize('viewRoom', actor)
    const rooms = await Room.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    return { data: await Promise.all(rooms.map((room) => roomWithExtras(room))) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createRoomValidator)
    const { meeting, actor } = await speakerMeeting(ctx, input.meeting)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeRoom', actor, meeting.state)
    const room = await new CreateRoom().execute({
      meeting,
      fields: {
        title: input.title,
        body: input.body,
        open: input.open,
        sendSls: input.send_sls,
        sendProposals: input.send_proposals,
        showTime: input.show_time,
      },
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return roomWithExtras(room)
  }

  async show(ctx: HttpContext) {
    const { room } = await roomContext(ctx, ctx.params.id)
    return roomWithExtras(room)
  }

  async update(ctx: HttpContext) {
    const context = await roomContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('changeRoom', context.actor, context.meeting.state)
    const input = await ctx.request.validateUsing(updateRoomValidator)
    const room = await new UpdateRoom().execute({
      room: context.room,
      fields: {
        title: input.title,
        body: input.body,
        open: input.open,
        sendSls: input.send_sls,
        sendProposals: input.send_proposals,
        showTime: input.show_time,
      },
      actor: requestActor(ctx),
    })
    return roomWithExtras(room)
  }

  async destroy(ctx: HttpContext) {
    const context = await roomContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('changeRoom', context.actor, context.meeting.state)
    await new DeleteRoom().execute({ room: context.room, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  /** `{speakers, speaker_lists}` counts, shown as a warning before deletion. */
  async status(ctx: HttpContext) {
    const context = await roomContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('changeRoom', context.actor, context.meeting.state)
    if (!context.system) return { speakers: 0, speaker_lists: 0 }
    const lists = await SpeakerList.forOrganisation(ctx.organisation.id).where(
      'speaker_system_id',
      context.system.id
    )
    const speakers = lists.length
      ? await Speaker.forOrganisation(ctx.organisation.id)
          .whereIn(
            'speaker_list_id',
            lists.map((list) => list.id)
          )
          .count('* as total')
      : []
    return { speakers: Number(speakers[0]?.$extras.total ?? 0), speaker_lists: lists.length }
  }

  async handle(ctx: HttpContext) {
    const context = await roomContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('changeRoom', context.actor, context.meeting.state)
    const input = await ctx.request.validateUsing(handleRoomValidator)
    const room = await new HandleRoom().execute({
      room: context.room,
      userId: ctx.currentUser!.id,
      token: input.token,
      agendaItem: input.agenda_item,
      highlighted: input.highlighted,
      poll: input.poll,
      sendProposals: input.send_proposals,
      showBallot: input.show_ballot,
      actor: requestActor(ctx),
    })
    return roomWithExtras(room)
  }

  async handleSpeaker(ctx: HttpContext) {
    const context = await roomContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('handleRoomSpeaker', context.actor, context.meeting.state)
    const input = await ctx.request.validateUsing(handleSpeakerValidator)
    const room = await new UpdateRoom().execute({
      room: context.room,
      fields: {
        body: input.body,
        open: input.open,
        showTime: input.show_time,
        sendSls: input.send_sls,
      },
      actor: requestActor(ctx),
      event: 'room.speaker_handled',
    })
    return roomWithExtras(room)
  }

  async markText(ctx: HttpContext) {
    const context = await roomContext(ctx, ctx.params.id)
    await ctx.bouncer
      .with(SpeakerPolicy)
      .authorize('changeRoom', context.actor, context.meeting.state)
    const input = await ctx.request.validateUsing(markTextValidator)
    await new MarkRoomText().execute({
      room: context.room,
      proposal: input.proposal,
      start: input.start,
      end: input.end,
      actor: requestActor(ctx),
    })
    return ctx.response.noContent()
  }

  /**
   * GET /api/rooms/{id}/projection: everything the projector shows in one
   * read (room, agenda item, highlighted proposals, poll, active list with its
   * turns and timers, server time). Used for the projector's initial state and
   * after every reconnect.
   */
  async projection(ctx: HttpContext) {
    const { room, actor } = await roomContext(ctx, ctx.params.id)
    return roomProjection(room, actor)
  }
}
