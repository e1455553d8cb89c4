import type { HttpContext } from '@adonisjs/core/http'
import Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import DiscussionPost from '#models/discussion_post'
import TextDocument from '#models/text_document'
import ReactionButton from '#models/reaction_button'
import { fieldError, notFound } from '#domain/errors'
import { canReadMeeting, isModerator, isParticipant } from '#domain/permissions/meeting'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import ProposalPolicy from '#policies/proposal_policy'

/**
 * Loading content for the API, visibility first (domain §4.1): what the caller
 * may not view is a 404 (or a 422 on the body field that named it); the
 * specific permission check comes afterwards (403).
 */

/** A meeting whose content the caller may read: participants, or anyone for public meetings. */
export async function readableMeeting(ctx: HttpContext, id: number, field?: string) {
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
  if (
    !meeting ||
    !canReadMeeting(await meetingActor(ctx.currentUser, meeting), meetingFacts(meeting))
  ) {
    throw field ? fieldError(field, 'No such meeting', 'exists') : notFound('No such meeting')
  }
  return meeting
}

/** A meeting the caller participates in (reaction buttons, notes). */
export async function participatedMeeting(ctx: HttpContext, id: number, field?: string) {
  const meeting = await Meeting.findInOrganisation(ctx.organisation.id, id)
  if (
    !meeting ||
    !isParticipant(await meetingActor(ctx.currentUser, meeting), meetingFacts(meeting))
  ) {
    throw field ? fieldError(field, 'No such meeting', 'exists') : notFound('No such meeting')
  }
  return meeting
}

export async function viewableItem(ctx: HttpContext, id: number, field?: string) {
  const item = await AgendaItem.findInOrganisation(ctx.organisation.id, id)
  const meeting = item
    ? await Meeting.findInOrganisation(ctx.organisation.id, item.meetingId)
    : null
  if (!item || !meeting || (await ctx.bouncer.with(ProposalPolicy).denies('view', item, meeting))) {
    throw field
      ? fieldError(field, 'No such agenda item', 'exists')
      : notFound('No such agenda item')
  }
  return { item, meeting }
}

export async function viewableProposal(ctx: HttpContext, id: number, field?: string) {
  const proposal = await Proposal.findInOrganisation(ctx.organisation.id, id)
  if (!proposal)
    throw field ? fieldError(field, 'No such proposal', 'exists') : notFound('No such proposal')
  const { item, meeting } = await viewableItem(ctx, proposal.agendaItemId, field).catch(() => {
    throw field ? fieldError(field, 'No such proposal', 'exists') : notFound('No such proposal')
  })
  return { proposal, item, meeting }
}

export async function viewablePost(ctx: HttpContext, id: number) {
  const post = await DiscussionPost.findInOrganisation(ctx.organisation.id, id)
  if (!post) throw notFound('No such discussion post')
  const { item, meeting } = await viewableItem(ctx, post.agendaItemId).catch(() => {
    throw notFound('No such discussion post')
  })
  return { post, item, meeting }
}

export async function viewableDocument(ctx: HttpContext, id: number) {
  const document = await TextDocument.findInOrganisation(ctx.organisation.id, id)
  if (!document) throw notFound('No such text document')
  const { item, meeting } = await viewableItem(ctx, document.agendaItemId).catch(() => {
    throw notFound('No such text document')
  })
  return { document, item, meeting }
}

/** A reaction button of a meeting the caller participates in. */
export async function visibleButton(ctx: HttpContext, id: number) {
  const button = await ReactionButton.findInOrganisation(ctx.organisation.id, id)
  if (!button) throw notFound('No such reaction button')
  const meeting = await participatedMeeting(ctx, button.meetingId).catch(() => {
    throw notFound('No such reaction button')
  })
  return { button, meeting }
}

/** Agenda item ids of a meeting whose content the caller may see (all for moderators). */
export async function viewableItemIds(ctx: HttpContext, meeting: Meeting): Promise<number[]> {
  const actor = await meetingActor(ctx.currentUser, meeting)
  const query = AgendaItem.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .select('id')
  if (!isModerator(actor, meetingFacts(meeting))) query.whereNot('state', 'private')
  return (await query).map((item) => item.id)
}

/** Filters rows whose JSON `tags` array contains any of the comma-separated tags. */
export function whereTagsAny(
  query: { where: (callback: (q: any) => void) => unknown },
  tags: string
) {
  const list = tags
    .split(',')
    .map((tag) => tag.replace(/^#/, '').trim().toLowerCase())
    .filter(Boolean)
  if (list.length === 0) return
  query.where((any: any) => {
    for (const tag of list) {
      const escaped = tag.replace(/[\\%_]/g, (char) => `\\${char}`)
      any.orWhereRaw(`cast(tags as text) like ? escape '\\'`, [`%"${escaped}"%`])
    }
  })
}
