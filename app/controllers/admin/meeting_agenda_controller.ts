import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import AgendaItem from '#models/agenda_item'
import type Meeting from '#models/meeting'
import { fieldError, notFound } from '#domain/errors'
import { agendaItemMachine, eventForTargetState } from '#domain/agenda/state_machine'
import { describeEvents } from '#domain/state_machines/machine'
import { meetingPermission } from '#domain/permissions/meeting'
import MeetingPolicy from '#policies/meeting_policy'
import AgendaItemPolicy from '#policies/agenda_item_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { staffMeeting } from '#services/admin_meetings'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import CreateAgendaItem from '#actions/agenda/create_agenda_item'
import UpdateAgendaItem from '#actions/agenda/update_agenda_item'
import ReorderAgenda from '#actions/agenda/reorder_agenda'
import BulkChangeAgendaItems from '#actions/agenda/bulk_change_agenda_items'
import DeleteAgendaItems from '#actions/agenda/delete_agenda_items'
import TransitionAgendaItem, {
  agendaItemMachineFacts,
} from '#actions/agenda/transition_agenda_item'

const itemValidator = vine.create({
  title: vine.string().trim().minLength(1).maxLength(200),
  body: vine.string().trim().maxLength(50000).optional(),
  tags: vine.string().trim().maxLength(500).optional(),
  block_proposals: vine.boolean().optional(),
  block_discussion: vine.boolean().optional(),
})
const moveValidator = vine.create({
  direction: vine.enum(['up', 'down']).optional(),
  position: vine.number().withoutDecimals().min(1).optional(),
})
const eventValidator = vine.create({ event: vine.string().trim().minLength(1).maxLength(60) })
const bulkValidator = vine.create({
  items: vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(500),
  state: vine.enum(Object.keys(eventForTargetState) as Array<keyof typeof eventForTargetState>),
})
const deleteValidator = vine.create({
  items: vine.array(vine.number().withoutDecimals().min(1)).minLength(1).maxLength(500),
})

/** Tags typed as "a, b c" → ["a", "b", "c"] (same tag rules as the API, checked by the action). */
function splitTags(value: string | undefined) {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((tag) => tag.trim())
    .filter(Boolean)
}

/**
 * Agenda editor (issue 5 item 9): the items in order with up/down buttons and a
 * numeric position, create/edit, state transitions and bulk state changes.
 * Ordering always goes through ReorderAgenda (positions 1…n, audited).
 */
export default class MeetingAgendaController {
  async index(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('moderate', meeting)
    const items = await this.items(meeting)
    const actor = await meetingActor(ctx.currentUser, meeting)
    const rows = []
    for (const [index, item] of items.entries()) {
      const facts = await agendaItemMachineFacts(item, meeting)
      const events = describeEvents(agendaItemMachine, item.state, facts, (permission) =>
        meetingPermission(permission, actor, meetingFacts(meeting), { state: item.state })
      )
      rows.push({
        id: item.id,
        position: index + 1,
        title: item.title,
        state: item.state,
        tags: item.tags,
        blockProposals: item.blockProposals,
        blockDiscussion: item.blockDiscussion,
        first: index === 0,
        last: index === items.length - 1,
        events: events.filter((event) => event.allowed),
      })
    }
    return ctx.view.render('pages/admin/meetings/agenda', {
      meeting: { id: meeting.id, title: meeting.title, state: meeting.state },
      items: rows,
      canAdd: await ctx.bouncer.with(MeetingPolicy).allows('addAgendaItem', meeting),
      states: Object.keys(eventForTargetState).map((value) => ({ value, label: value })),
    })
  }

  async store(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('addAgendaItem', meeting)
    const input = await ctx.request.validateUsing(itemValidator)
    const item = await new CreateAgendaItem().execute({
      meeting,
      title: input.title,
      body: input.body,
      tags: splitTags(input.tags),
      blockProposals: input.block_proposals ?? false,
      blockDiscussion: input.block_discussion ?? false,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `Agenda item “${item.title}” added (private)`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/agenda`)
  }

  async edit(ctx: HttpContext) {
    const { meeting, item } = await this.item(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('moderate', meeting)
    return ctx.view.render('pages/admin/meetings/agenda_item', {
      meeting: { id: meeting.id, title: meeting.title },
      item: {
        id: item.id,
        title: item.title,
        body: item.body ?? '',
        state: item.state,
        tags: item.tags.join(' '),
        blockProposals: item.blockProposals,
        blockDiscussion: item.blockDiscussion,
      },
    })
  }

  async update(ctx: HttpContext) {
    const { meeting, item } = await this.item(ctx)
    await ctx.bouncer.with(AgendaItemPolicy).authorize('change', item, meeting)
    const input = await ctx.request.validateUsing(itemValidator)
    await new UpdateAgendaItem().execute({
      item,
      changes: {
        title: input.title,
        body: input.body ?? '',
        tags: splitTags(input.tags),
        blockProposals: input.block_proposals ?? false,
        blockDiscussion: input.block_discussion ?? false,
      },
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', 'Agenda item saved')
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/agenda`)
  }

  /** Up/down one place, or to a numeric position (clamped to the list). */
  async move(ctx: HttpContext) {
    const { meeting, item } = await this.item(ctx)
    await ctx.bouncer.with(MeetingPolicy).authorize('change', meeting)
    const input = await ctx.request.validateUsing(moveValidator)
    const order = (await this.items(meeting)).map((candidate) => candidate.id)
    const from = order.indexOf(item.id)
    let to: number
    if (input.position !== undefined) to = Math.min(input.position, order.length) - 1
    else if (input.direction === 'up') to = Math.max(from - 1, 0)
    else if (input.direction === 'down') to = Math.min(from + 1, order.length - 1)
    else throw fieldError('position', 'Give a position or a direction', 'required')
    order.splice(from, 1)
    order.splice(to, 0, item.id)
    await new ReorderAgenda().execute({ meeting, order, actor: requestActor(ctx, 'admin') })
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/agenda#item-${item.id}`)
  }

  async fire(ctx: HttpContext) {
    const { meeting, item } = await this.item(ctx)
    const { event } = await ctx.request.validateUsing(eventValidator)
    const changed = await new TransitionAgendaItem().execute({
      item,
      event,
      user: ctx.currentUser,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `“${changed.title}” is now ${changed.state}`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/agenda`)
  }

  /** Ticked items to a state; items the machine refuses are skipped (domain §8.2). */
  async bulk(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('addAgendaItem', meeting)
    const input = await ctx.request.validateUsing(bulkValidator)
    const { changed } = await new BulkChangeAgendaItems().execute({
      meeting,
      itemIds: input.items,
      state: input.state,
      user: ctx.currentUser!,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `${changed} of ${input.items.length} item(s) changed`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/agenda`)
  }

  async destroy(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    await ctx.bouncer.with(MeetingPolicy).authorize('addAgendaItem', meeting)
    const input = await ctx.request.validateUsing(deleteValidator)
    await new DeleteAgendaItems().execute({
      meeting,
      itemIds: input.items,
      bulk: true,
      actor: requestActor(ctx, 'admin'),
    })
    ctx.session.flash('success', `${input.items.length} item(s) deleted`)
    return ctx.response.redirect(`/admin/meetings/${meeting.id}/agenda`)
  }

  private items(meeting: Meeting) {
    return AgendaItem.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .orderBy('order')
      .orderBy('id')
  }

  private async item(ctx: HttpContext) {
    const meeting = await staffMeeting(ctx, ctx.params.id)
    const item = await AgendaItem.findInOrganisation(ctx.organisation.id, ctx.params.item)
    if (!item || item.meetingId !== meeting.id) throw notFound('No such agenda item')
    return { meeting, item }
  }
}
