import type { HttpContext } from '@adonisjs/core/http'
import { commaQuery } from '#validators/meetings'
import AgendaItem from '#models/agenda_item'
import LastRead from '#models/last_read'
import Meeting from '#models/meeting'
import { agendaItemMachine } from '#domain/agenda/state_machine'
import { describeEvents } from '#domain/state_machines/machine'
import { canViewAgendaItem, isModerator, meetingPermission } from '#domain/permissions/meeting'
import MeetingPolicy from '#policies/meeting_policy'
import AgendaItemPolicy from '#policies/agenda_item_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { meetingFromField, visibleAgendaItem } from '#services/meeting_lookup'
import { agendaItemPayload, lastReadPayload } from '#transformers/agenda_item_transformer'
import { eventValidator } from '#validators/meetings'
import {
  bulkChangeAgendaItemsValidator,
  bulkDeleteAgendaItemsValidator,
  createAgendaItemValidator,
  lastReadListValidator,
  listAgendaItemsValidator,
  updateAgendaItemValidator,
} from '#validators/agenda'
import CreateAgendaItem from '#actions/agenda/create_agenda_item'
import UpdateAgendaItem from '#actions/agenda/update_agenda_item'
import DeleteAgendaItems from '#actions/agenda/delete_agenda_items'
import BulkChangeAgendaItems from '#actions/agenda/bulk_change_agenda_items'
import MarkAgendaItemRead from '#actions/agenda/mark_agenda_item_read'
import TransitionAgendaItem, {
  agendaItemMachineFacts,
} from '#actions/agenda/transition_agenda_item'

/** Agenda items (api.md §6.9) and their event endpoint (§6.1). */
export default class AgendaItemsController {
  /** Ordered by `order`; private items only for moderators; public meetings readable by anyone. */
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listAgendaItemsValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const meeting = await meetingFromField(ctx, filters.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('read', meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const query = AgendaItem.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('order')
      .orderBy('id')
    if (filters.state) query.whereIn('state', filters.state.split(','))
    if (!isModerator(actor, meetingFacts(meeting))) query.whereNot('state', 'private')
    const items = await query
    return { data: items.map((item) => agendaItemPayload(item)) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createAgendaItemValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('addAgendaItem', meeting)
    const item = await new CreateAgendaItem().execute({
      meeting,
      title: input.title,
      body: input.body,
      tags: input.tags,
      blockProposals: input.block_proposals,
      blockDiscussion: input.block_discussion,
      actor: requestActor(ctx),
    })
    ctx.response.status(201)
    return agendaItemPayload(item, { body: true })
  }

  async show(ctx: HttpContext) {
    const { item } = await visibleAgendaItem(ctx, ctx.params.id)
    return agendaItemPayload(item, { body: true })
  }

  async update(ctx: HttpContext) {
    const { item, meeting } = await visibleAgendaItem(ctx, ctx.params.id)
    await ctx.bouncer.with(AgendaItemPolicy).authorize('change', item, meeting)
    const input = await ctx.request.validateUsing(updateAgendaItemValidator)
    const updated = await new UpdateAgendaItem().execute({
      item,
      changes: {
        title: input.title,
        body: input.body,
        tags: input.tags,
        blockProposals: input.block_proposals,
        blockDiscussion: input.block_discussion,
      },
      actor: requestActor(ctx),
    })
    return agendaItemPayload(updated, { body: true })
  }

  async destroy(ctx: HttpContext) {
    const { item, meeting } = await visibleAgendaItem(ctx, ctx.params.id)
    await ctx.bouncer.with(AgendaItemPolicy).authorize('delete', item, meeting)
    await new DeleteAgendaItems().execute({
      meeting,
      itemIds: [item.id],
      bulk: false,
      actor: requestActor(ctx),
    })
    return ctx.response.noContent()
  }

  async events(ctx: HttpContext) {
    const { item, meeting } = await visibleAgendaItem(ctx, ctx.params.id)
    return this.eventStatus(ctx, item, meeting)
  }

  async fire(ctx: HttpContext) {
    const { item } = await visibleAgendaItem(ctx, ctx.params.id)
    const { event } = await ctx.request.validateUsing(eventValidator)
    const changed = await new TransitionAgendaItem().execute({
      item,
      event,
      user: ctx.currentUser,
      actor: requestActor(ctx),
    })
    const meeting = await Meeting.findInOrganisation(ctx.organisation.id, changed.meetingId)
    const status = await this.eventStatus(ctx, changed, meeting!)
    return { ...status, object: agendaItemPayload(changed, { body: true }) }
  }

  async bulkChange(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(bulkChangeAgendaItemsValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('addAgendaItem', meeting)
    return new BulkChangeAgendaItems().execute({
      meeting,
      itemIds: input.agenda_items,
      state: input.state,
      blockDiscussion: input.block_discussion,
      blockProposals: input.block_proposals,
      user: ctx.currentUser!,
      actor: requestActor(ctx),
    })
  }

  async bulkDelete(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(bulkDeleteAgendaItemsValidator)
    const meeting = await meetingFromField(ctx, input.meeting)
    await ctx.bouncer.with(MeetingPolicy).authorize('addAgendaItem', meeting)
    return new DeleteAgendaItems().execute({
      meeting,
      itemIds: input.agenda_items,
      bulk: true,
      actor: requestActor(ctx),
    })
  }

  async markRead(ctx: HttpContext) {
    const { item, meeting } = await visibleAgendaItem(ctx, ctx.params.id)
    await ctx.bouncer.with(AgendaItemPolicy).authorize('markRead', item, meeting)
    const row = await new MarkAgendaItemRead().execute({
      item,
      userId: ctx.currentUser!.id,
      actor: requestActor(ctx),
    })
    return lastReadPayload(row)
  }

  /** GET /api/last-read?meeting= : the caller's own rows, for items the caller can still see. */
  async lastRead(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(lastReadListValidator, {
      data: commaQuery(ctx.request.qs()),
    })
    const meeting = await meetingFromField(ctx, meetingId)
    await ctx.bouncer.with(MeetingPolicy).authorize('view', meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const rows = await LastRead.forOrganisation(ctx.organisation.id)
      .where('last_reads.meeting_id', meeting.id)
      .where('last_reads.user_id', ctx.currentUser!.id)
      .join('agenda_items', 'agenda_items.id', 'last_reads.agenda_item_id')
      .select('last_reads.*', 'agenda_items.state as item_state')
      .orderBy('last_reads.agenda_item_id')
    const visible = rows.filter((row) =>
      canViewAgendaItem(actor, meetingFacts(meeting), { state: row.$extras.item_state })
    )
    return { data: visible.map(lastReadPayload) }
  }

  private async eventStatus(ctx: HttpContext, item: AgendaItem, meeting: Meeting) {
    const actor = await meetingActor(ctx.currentUser, meeting)
    const facts = await agendaItemMachineFacts(item, meeting)
    const events = describeEvents(agendaItemMachine, item.state, facts, (permission) =>
      meetingPermission(permission, actor, meetingFacts(meeting), { state: item.state })
    )
    return { state: item.state, events }
  }
}
