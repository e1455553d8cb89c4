import type { HttpContext } from '@adonisjs/core/http'
import ReactionButton from '#models/reaction_button'
import Reaction from '#models/reaction'
import Proposal from '#models/proposal'
import DiscussionPost from '#models/discussion_post'
import type Meeting from '#models/meeting'
import { fieldError } from '#domain/errors'
import { isModerator } from '#domain/permissions/meeting'
import ReactionPolicy from '#policies/reaction_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { participatedMeeting, viewableItem, visibleButton } from '#services/content_lookup'
import { reactionButtonPayload, reactionPayload } from '#transformers/discussion_transformer'
import {
  createReactionButtonValidator,
  meetingQueryValidator,
  reactionTargetValidator,
  updateReactionButtonValidator,
} from '#validators/proposals'
import ReactionButtons, { type ReactionButtonFields } from '#actions/reactions/reaction_buttons'
import React, { type ReactionTarget } from '#actions/reactions/react'

type ButtonInput = {
  title?: string
  description?: string
  icon?: string
  color?: string
  change_roles?: string[]
  list_roles?: string[]
  allowed_models?: Array<'proposal' | 'discussion_post'>
  flag_mode?: boolean
  vote_template?: boolean
  on_presentation?: boolean
  on_vote?: boolean
  target?: number | null
  order?: number
  active?: boolean
}

const fields = (input: ButtonInput): ReactionButtonFields => ({
  title: input.title,
  description: input.description,
  icon: input.icon,
  color: input.color,
  changeRoles: input.change_roles,
  listRoles: input.list_roles,
  allowedModels: input.allowed_models,
  flagMode: input.flag_mode,
  voteTemplate: input.vote_template,
  onPresentation: input.on_presentation,
  onVote: input.on_vote,
  target: input.target,
  order: input.order,
  active: input.active,
})

/** Reaction buttons and reactions (api.md §6.17, domain §14.2). */
export default class ReactionsController {
  async index(ctx: HttpContext) {
    const { meeting: meetingId } = await ctx.request.validateUsing(meetingQueryValidator, {
      data: ctx.request.qs(),
    })
    const meeting = await participatedMeeting(ctx, meetingId, 'meeting')
    await ctx.bouncer.with(ReactionPolicy).authorize('viewButtons', meeting)
    const buttons = await ReactionButton.forOrganisation(ctx.organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('order')
      .orderBy('id')
    return { data: buttons.map(reactionButtonPayload) }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createReactionButtonValidator)
    const meeting = await participatedMeeting(ctx, input.meeting, 'meeting')
    await ctx.bouncer.with(ReactionPolicy).authorize('manageButtons', meeting)
    const button = await new ReactionButtons().create({
      meeting,
      fields: { ...fields(input), title: input.title },
      actor: requestActor(ctx),
    })
    return ctx.response.created(reactionButtonPayload(button))
  }

  async update(ctx: HttpContext) {
    const { button, meeting } = await visibleButton(ctx, ctx.params.id)
    await ctx.bouncer.with(ReactionPolicy).authorize('manageButtons', meeting)
    const input = await ctx.request.validateUsing(updateReactionButtonValidator)
    const changed = await new ReactionButtons().update({
      button,
      fields: fields(input),
      actor: requestActor(ctx),
    })
    return reactionButtonPayload(changed)
  }

  async destroy(ctx: HttpContext) {
    const { button, meeting } = await visibleButton(ctx, ctx.params.id)
    await ctx.bouncer.with(ReactionPolicy).authorize('manageButtons', meeting)
    await new ReactionButtons().delete({ button, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }

  /** POST /api/reaction-buttons/{id}/set → 201 created / 200 existing. */
  async set(ctx: HttpContext) {
    const { button, meeting } = await visibleButton(ctx, ctx.params.id)
    await ctx.bouncer.with(ReactionPolicy).authorize('react', button, meeting)
    const target = await this.target(ctx, button, meeting)
    const { reaction, created } = await new React().set({
      button,
      userId: ctx.currentUser!.id,
      target,
      actor: requestActor(ctx),
    })
    return ctx.response.status(created ? 201 : 200).send(reactionPayload(reaction))
  }

  /** POST /api/reaction-buttons/{id}/remove → 204 always. */
  async remove(ctx: HttpContext) {
    const { button, meeting } = await visibleButton(ctx, ctx.params.id)
    await ctx.bouncer.with(ReactionPolicy).authorize('react', button, meeting)
    const target = await this.target(ctx, button, meeting)
    const moderator = isModerator(
      await meetingActor(ctx.currentUser, meeting),
      meetingFacts(meeting)
    )
    await new React().remove({
      button,
      userId: ctx.currentUser!.id,
      target,
      anyUser: moderator,
      actor: requestActor(ctx),
    })
    return ctx.response.noContent()
  }

  /** GET /api/reaction-buttons/{id}/reactions → who reacted. */
  async reactions(ctx: HttpContext) {
    const { button, meeting } = await visibleButton(ctx, ctx.params.id)
    await ctx.bouncer.with(ReactionPolicy).authorize('listReactions', button, meeting)
    const target = await this.target(ctx, button, meeting, ctx.request.qs())
    const rows = await Reaction.forOrganisation(ctx.organisation.id)
      .where('button_id', button.id)
      .where('content_type', target.contentType)
      .where('object_id', target.objectId)
      .orderBy('id')
    return {
      button: button.id,
      content_type: target.contentType,
      object_id: target.objectId,
      users: rows.map((row) => row.userId),
    }
  }

  /** The reacted-on object: in the button's meeting, of an allowed type, and visible to the caller. */
  private async target(
    ctx: HttpContext,
    button: ReactionButton,
    meeting: Meeting,
    data?: unknown
  ): Promise<ReactionTarget> {
    const input = await ctx.request.validateUsing(
      reactionTargetValidator,
      data ? { data } : undefined
    )
    if (!button.allowedModels.includes(input.content_type)) {
      throw fieldError(
        'content_type',
        'This button does not apply to this kind of content',
        'allowed_models'
      )
    }
    const model = input.content_type === 'proposal' ? Proposal : DiscussionPost
    const object = await model.findInOrganisation(ctx.organisation.id, input.object_id)
    if (!object || object.meetingId !== meeting.id)
      throw fieldError('object_id', 'No such object in this meeting', 'exists')
    await viewableItem(ctx, object.agendaItemId, 'object_id')
    return {
      contentType: input.content_type,
      objectId: object.id,
      agendaItemId: object.agendaItemId,
    }
  }
}
