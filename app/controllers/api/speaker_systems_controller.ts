import type { HttpContext } from '@adonisjs/core/http'
import Room from '#models/room'
import SpeakerListSystem from '#models/speaker_list_system'
import SpeakerTimeBudget from '#models/speaker_time_budget'
import GroupMembership from '#models/group_membership'
import Speaker from '#models/speaker'
import SpeakerPolicy from '#policies/speaker_policy'
import { fieldError } from '#domain/errors'
import { describeEvents } from '#domain/state_machines/machine'
import { speakerSystemMachine } from '#domain/speakers/state_machines'
import { speakerPermission } from '#domain/speakers/permissions'
import { budgetStatus } from '#domain/speakers/budgets'
import { elapsedSeconds } from '#domain/speakers/timers'
import { requestActor } from '#middleware/authenticate_middleware'
import { countSpeakingTurns } from '#services/speaker_queue'
import { speakerMeeting, systemContext, type SystemContext } from '#services/speaker_lookup'
import { speakerSystemPayload } from '#transformers/speaker_transformer'
import {
  createSpeakerSystemValidator,
  eventValidator,
  listByMeetingValidator,
  timeBudgetsValidator,
  updateSpeakerSystemValidator,
} from '#validators/speakers'
import {
  CreateSpeakerSystem,
  DeleteSpeakerSystem,
  TransitionSpeakerSystem,
  UpdateSpeakerSystem,
  type SpeakerSystemFields,
} from '#actions/speakers/systems'
import { SetTimeBudgets } from '#actions/speakers/roles_budgets'

type SystemInput = {
  method_name?: SpeakerSystemFields['methodName']
  safe_positions?: number
  settings?: unknown
  meeting_roles_to_speaker?: string[]
  show_time?: boolean
  speech_seconds?: number | null
  point_of_order_seconds?: number | null
  point_of_order_when_closed?: boolean
  point_of_order_categories?: string[]
  enforce_time_budgets?: boolean
}

export function systemFieldsFrom(input: SystemInput): SpeakerSystemFields {
  return {
    methodName: input.method_name,
    safePositions: input.safe_positions,
    settings: input.settings,
    meetingRolesToSpeaker: input.meeting_roles_to_speaker,
    showTime: input.show_time,
    speechSeconds: input.speech_seconds,
    pointOfOrderSeconds: input.point_of_order_seconds,
    pointOfOrderWhenClosed: input.point_of_order_when_closed,
    pointOfOrderCategories: input.point_of_order_categories,
    enforceTimeBudgets: input.enforce_time_budgets,
  }
}

/** Speaker list systems (api.md §6.15) and time budgets (§11.4). */
export default class SpeakerSystemsController {
  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(listByMeetingValidator, {
      data: ctx.request.qs(),
    })
    const { meeting, actor } = await speakerMeeting(ctx, meetingId)
    await ctx.bouncer.with(SpeakerPolicy).authorize('view', actor)
    const systems = await SpeakerListSystem.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    return { data: systems.map(speakerSystemPayload) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createSpeakerSystemValidator)
    const room = await Room.findInOrganisation(ctx.organisation.id, input.room)
    if (!room) throw fieldError('room', 'No such room', 'exists')
    const { meeting, actor } = await speakerMeeting(ctx, room.meetingId, 'room')
    await ctx.bouncer.with(SpeakerPolicy).authorize('addSystem', actor, meeting.state)
    const system = await new CreateSpeakerSystem().execute({
      room,
      fields: systemFieldsFrom(input),
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return speakerSystemPayload(system)
  }

  async show(ctx: HttpContext) {
    const { system } = await systemContext(ctx, ctx.params.id)
    return speakerSystemPayload(system)
  }

  async update(ctx: HttpContext) {
    const context = await systemContext(ctx, ctx.params.id)
    const input = await ctx.request.validateUsing(updateSpeakerSystemValidator)
    const { active_list: activeList, ...rest } = input
    const touchesFields = Object.values(rest).some((value) => value !== undefined)
    // Decision (domain §12.5): list moderators may change `active_list` only.
    if (touchesFields)
      await ctx.bouncer.with(SpeakerPolicy).authorize('changeSystem', context.actor, context.facts)
    else
      await ctx.bouncer.with(SpeakerPolicy).authorize('setActiveList', context.actor, context.facts)
    const system = await new UpdateSpeakerSystem().execute({
      system: context.system,
      fields: systemFieldsFrom(rest),
      activeList,
      actor: requestActor(ctx),
    })
    return speakerSystemPayload(system)
  }

  async destroy(ctx: HttpContext) {
    const context = await systemContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('deleteSystem', context.actor, context.facts)
    await new DeleteSpeakerSystem().execute({ system: context.system, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  async events(ctx: HttpContext) {
    return this.eventStatus(await systemContext(ctx, ctx.params.id))
  }

  async fire(ctx: HttpContext) {
    const context = await systemContext(ctx, ctx.params.id)
    const { event } = await ctx.request.validateUsing(eventValidator)
    const system = await new TransitionSpeakerSystem().execute({
      system: context.system,
      event,
      actor: requestActor(ctx),
      speakerActor: context.actor,
    })
    const fresh = await systemContext(ctx, system.id)
    return { ...(await this.eventStatus(fresh)), object: speakerSystemPayload(system) }
  }

  private async eventStatus({ system, actor, facts }: SystemContext) {
    const someoneSpeaking =
      system.activeListId !== null &&
      (await countSpeakingTurns(undefined, system.organisationId, {
        listId: system.activeListId,
      })) > 0
    return {
      state: system.state,
      events: describeEvents(
        speakerSystemMachine,
        system.state,
        { someoneSpeaking },
        (permission) => speakerPermission(permission, actor, facts)
      ),
    }
  }

  /** GET …/time-budgets → [{group, seconds, used_seconds, remaining_seconds, exhausted, enforced}]. */
  async budgets(ctx: HttpContext) {
    const { system } = await systemContext(ctx, ctx.params.id)
    const budgets = await SpeakerTimeBudget.forOrganisation(ctx.organisation.id)
      .where('speaker_system_id', system.id)
      .orderBy('id')
    const memberships = await GroupMembership.forOrganisation(ctx.organisation.id).whereIn(
      'meeting_group_id',
      budgets.map((budget) => budget.meetingGroupId)
    )
    const members = new Map<number, number[]>()
    for (const row of memberships)
      members.set(row.meetingGroupId, [...(members.get(row.meetingGroupId) ?? []), row.userId])
    const turns = await Speaker.forOrganisation(ctx.organisation.id)
      .join('speaker_lists', 'speaker_lists.id', 'speakers.speaker_list_id')
      .where('speaker_lists.speaker_system_id', system.id)
      .where((query) =>
        query.whereNotNull('speakers.seconds').orWhereNotNull('speakers.started_ms')
      )
      .select('speakers.*')
    const now = Date.now()
    const running = turns.find((turn) => turn.isSpeaking)
    return {
      data: budgetStatus({
        budgets: budgets.map((budget) => ({
          groupId: budget.meetingGroupId,
          seconds: budget.seconds,
        })),
        members,
        finished: turns
          .filter((turn) => turn.seconds !== null)
          .map((turn) => ({ userId: turn.userId, seconds: turn.seconds!, kind: turn.kind })),
        running: running
          ? {
              userId: running.userId,
              kind: running.kind,
              elapsedSeconds: elapsedSeconds(running.clock, now),
            }
          : null,
        enforce: system.enforceTimeBudgets,
      }),
    }
  }

  async setBudgets(ctx: HttpContext) {
    const context = await systemContext(ctx, ctx.params.id)
    await ctx.bouncer.with(SpeakerPolicy).authorize('changeSystem', context.actor, context.facts)
    const { budgets } = await ctx.request.validateUsing(timeBudgetsValidator)
    await new SetTimeBudgets().execute({
      system: context.system,
      budgets,
      actor: requestActor(ctx),
    })
    return this.budgets(ctx)
  }
}
