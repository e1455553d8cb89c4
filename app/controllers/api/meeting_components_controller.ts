import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import { notFound } from '#domain/errors'
import { componentTypes, isValidComponent } from '#domain/components/registry'
import { canSeeMeeting } from '#domain/permissions/meeting'
import MeetingComponentPolicy from '#policies/meeting_component_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import {
  componentTypePayload,
  meetingComponentPayload,
} from '#transformers/meeting_component_transformer'
import {
  createMeetingComponentValidator,
  meetingComponentsQueryValidator,
  updateMeetingComponentValidator,
} from '#validators/components'
import CreateMeetingComponent from '#actions/components/create_meeting_component'
import UpdateMeetingComponent from '#actions/components/update_meeting_component'
import DeleteMeetingComponent from '#actions/components/delete_meeting_component'

/** Component types and meeting components (api.md §6.7, domain §15.1). */
export default class MeetingComponentsController {
  /** A meeting the caller cannot see is a 404 (api.md §4); seeing it is not yet permission. */
  async #visibleMeeting(ctx: HttpContext, id: number, what = 'No such meeting') {
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
    if (
      !meeting ||
      !canSeeMeeting(await meetingActor(ctx.currentUser, meeting), meetingFacts(meeting))
    )
      throw notFound(what)
    return meeting
  }

  async #component(ctx: HttpContext) {
    const component = await MeetingComponent.findInOrganisation(ctx.organisation.id, ctx.params.id)
    if (!component) throw notFound('No such meeting component')
    const meeting = await this.#visibleMeeting(
      ctx,
      component.meetingId,
      'No such meeting component'
    )
    return { component, meeting }
  }

  async types() {
    return { data: Object.values(componentTypes).map(componentTypePayload) }
  }

  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(
      meetingComponentsQueryValidator,
      { data: ctx.request.qs() }
    )
    const meeting = await this.#visibleMeeting(ctx, meetingId)
    await ctx.bouncer.with(MeetingComponentPolicy).authorize('view', meeting)
    const rows = await MeetingComponent.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    // Invalid components (unknown name, settings that no longer validate) are not listed.
    return {
      data: rows
        .filter((row) => isValidComponent(row.componentName, row.settings))
        .map(meetingComponentPayload),
    }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createMeetingComponentValidator)
    const meeting = await this.#visibleMeeting(ctx, input.meeting)
    await ctx.bouncer.with(MeetingComponentPolicy).authorize('change', meeting)
    const row = await new CreateMeetingComponent().execute({
      meeting,
      componentName: input.component_name,
      settings: input.settings,
      enabled: input.enabled,
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return meetingComponentPayload(row)
  }

  async update(ctx: HttpContext) {
    const { component, meeting } = await this.#component(ctx)
    await ctx.bouncer.with(MeetingComponentPolicy).authorize('change', meeting)
    const input = await ctx.request.validateUsing(updateMeetingComponentValidator)
    const row = await new UpdateMeetingComponent().execute({
      meeting,
      component,
      settings: input.settings,
      enabled: input.enabled,
      actor: requestActor(ctx),
    })
    return meetingComponentPayload(row)
  }

  async destroy(ctx: HttpContext) {
    const { component, meeting } = await this.#component(ctx)
    await ctx.bouncer.with(MeetingComponentPolicy).authorize('change', meeting)
    await new DeleteMeetingComponent().execute({ meeting, component, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }
}
