import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type AgendaItem from '#models/agenda_item'
import type DiscussionPost from '#models/discussion_post'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { contentItemFacts } from '#services/content'
import {
  canAddDiscussionPost,
  canChangeDiscussionPost,
  canDeleteDiscussionPost,
} from '#domain/permissions/proposals'

/** Discussion post permissions (domain §14.1); viewing follows the agenda item (ProposalPolicy.view). */
export default class DiscussionPostPolicy extends BasePolicy {
  async add(user: User, item: AgendaItem, meeting: Meeting) {
    return canAddDiscussionPost(
      await meetingActor(user, meeting),
      meetingFacts(meeting),
      contentItemFacts(item)
    )
  }

  async change(user: User, meeting: Meeting) {
    return canChangeDiscussionPost(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async delete(user: User, post: DiscussionPost, meeting: Meeting) {
    return canDeleteDiscussionPost(await meetingActor(user, meeting), meetingFacts(meeting), {
      authorId: post.authorId,
    })
  }
}
