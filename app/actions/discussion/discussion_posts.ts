import db from '@adonisjs/lucid/services/db'
import type AgendaItem from '#models/agenda_item'
import type Meeting from '#models/meeting'
import type User from '#models/user'
import AgendaItemModel from '#models/agenda_item'
import DiscussionPost, {
  discussionPostAuditState,
  discussionPostTrackedFields,
} from '#models/discussion_post'
import { notFound } from '#domain/errors'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import {
  extraTagsOf,
  resetAgendaItemModified,
  resolveAuthorship,
  richContent,
  touchAgendaItem,
  type AuthorshipInput,
} from '#services/content'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { discussionPostPayload } from '#transformers/discussion_transformer'

export interface PostInput extends AuthorshipInput {
  body?: string
  tags?: string[]
}

function changed(post: DiscussionPost, rid: string | null): OutgoingMessage[] {
  return [
    {
      channel: channels.agendaItem(post.meetingId, post.agendaItemId),
      type: 'discussion_post.changed',
      data: discussionPostPayload(post),
      rid,
    },
  ]
}

/**
 * Discussion posts (domain §14.1): strict rich text, hashtags (a tag equal to
 * a proposal's `prop_id` makes the post a comment on it), mentions, posting
 * as a group where the group allows it. Immutable except for moderator edits.
 */
export default class DiscussionPosts {
  async create(input: {
    meeting: Meeting
    item: AgendaItem
    caller: User
    callerIsModerator: boolean
    fields: PostInput & { body: string }
    actor: Actor
  }) {
    const authorship = await resolveAuthorship(
      input.meeting,
      input.caller,
      input.callerIsModerator,
      input.fields
    )
    const content = await richContent(input.meeting, input.fields.body, input.fields.tags ?? [])
    return db.transaction(async (trx) => {
      const post = await DiscussionPost.create(
        {
          organisationId: input.meeting.organisationId,
          meetingId: input.meeting.id,
          agendaItemId: input.item.id,
          body: content.body,
          tags: content.tags,
          mentions: content.mentions,
          authorId: authorship.authorId,
          meetingGroupId: authorship.meetingGroupId,
          asGroup: authorship.asGroup,
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, input.actor, {
        organisationId: post.organisationId,
        meetingId: post.meetingId,
        agendaItemId: post.agendaItemId,
        action: 'create',
        event: 'discussion_post.created',
        model: 'DiscussionPost',
        objectId: post.id,
        changes: diffFields({}, discussionPostAuditState(post), discussionPostTrackedFields),
      })
      await touchAgendaItem(trx, input.item, input.actor.requestId ?? null)
      publishAfterCommit(trx, changed(post, input.actor.requestId ?? null))
      return post
    })
  }

  async update(input: {
    post: DiscussionPost
    meeting: Meeting
    caller: User
    fields: PostInput
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const post = await DiscussionPost.forOrganisation(input.post.organisationId)
        .where('id', input.post.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!post) throw notFound('No such discussion post')
      const before = discussionPostAuditState(post)
      const authorship = await resolveAuthorship(
        input.meeting,
        input.caller,
        true,
        input.fields,
        post,
        trx
      )
      post.authorId = authorship.authorId
      post.meetingGroupId = authorship.meetingGroupId
      post.asGroup = authorship.asGroup
      if (input.fields.body !== undefined || input.fields.tags !== undefined) {
        const extra = input.fields.tags ?? extraTagsOf(post.tags, post.body, [])
        const content = await richContent(input.meeting, input.fields.body ?? post.body, extra, trx)
        post.body = content.body
        post.tags = content.tags
        post.mentions = content.mentions
      }
      const changes = diffFields(
        before,
        discussionPostAuditState(post),
        discussionPostTrackedFields
      )
      if (JSON.stringify(post.$original.tags) !== JSON.stringify(post.tags))
        changes.tags = [post.$original.tags, post.tags]
      if (Object.keys(changes).length === 0) return post
      post.rev += 1
      await post.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: post.organisationId,
        meetingId: post.meetingId,
        agendaItemId: post.agendaItemId,
        action: 'update',
        event: 'discussion_post.updated',
        model: 'DiscussionPost',
        objectId: post.id,
        changes,
      })
      const item = await AgendaItemModel.forOrganisation(post.organisationId)
        .where('id', post.agendaItemId)
        .useTransaction(trx)
        .firstOrFail()
      await touchAgendaItem(trx, item, input.actor.requestId ?? null)
      publishAfterCommit(trx, changed(post, input.actor.requestId ?? null))
      return post
    })
  }

  async delete(input: { post: DiscussionPost; actor: Actor }) {
    await db.transaction(async (trx) => {
      const post = await DiscussionPost.forOrganisation(input.post.organisationId)
        .where('id', input.post.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!post) throw notFound('No such discussion post')
      await trx
        .from('reactions')
        .where('organisation_id', post.organisationId)
        .where('content_type', 'discussion_post')
        .where('object_id', post.id)
        .delete()
      await post.useTransaction(trx).delete()
      await recordAudit(trx, input.actor, {
        organisationId: post.organisationId,
        meetingId: post.meetingId,
        agendaItemId: post.agendaItemId,
        action: 'delete',
        event: 'discussion_post.deleted',
        model: 'DiscussionPost',
        objectId: post.id,
        changes: diffFields(discussionPostAuditState(post), {}, discussionPostTrackedFields),
      })
      const item = await AgendaItemModel.forOrganisation(post.organisationId)
        .where('id', post.agendaItemId)
        .useTransaction(trx)
        .firstOrFail()
      await resetAgendaItemModified(trx, item, input.actor.requestId ?? null)
      publishAfterCommit(trx, [
        {
          channel: channels.agendaItem(post.meetingId, post.agendaItemId),
          type: 'discussion_post.deleted',
          data: { id: post.id, rev: post.rev + 1, meeting: post.meetingId },
          rid: input.actor.requestId ?? null,
        },
      ])
    })
  }
}
