import type DiscussionPost from '#models/discussion_post'
import type ReactionButton from '#models/reaction_button'
import type Reaction from '#models/reaction'
import type Note from '#models/note'

const iso = (value: { toUTC: () => { toISO: () => string | null } } | null) =>
  value ? value.toUTC().toISO() : null

/** `DiscussionPost` (api.md §6.12). */
export function discussionPostPayload(post: DiscussionPost) {
  return {
    id: post.id,
    rev: post.rev,
    meeting: post.meetingId,
    agenda_item: post.agendaItemId,
    body: post.body,
    tags: post.tags,
    mentions: post.mentions,
    author: post.authorId,
    meeting_group: post.meetingGroupId,
    as_group: post.asGroup,
    created: iso(post.createdAt),
    modified: iso(post.updatedAt),
  }
}

/** `ReactionButton` (api.md §6.17). */
export function reactionButtonPayload(button: ReactionButton) {
  return {
    id: button.id,
    rev: button.rev,
    meeting: button.meetingId,
    title: button.title,
    description: button.description,
    icon: button.icon,
    color: button.color,
    change_roles: button.changeRoles,
    list_roles: button.listRoles,
    allowed_models: button.allowedModels,
    flag_mode: button.flagMode,
    vote_template: button.voteTemplate,
    on_presentation: button.onPresentation,
    on_vote: button.onVote,
    target: button.target,
    order: button.order,
    active: button.active,
  }
}

/** `Reaction` (api.md §6.17). */
export function reactionPayload(reaction: Reaction) {
  return {
    id: reaction.id,
    rev: reaction.rev,
    meeting: reaction.meetingId,
    agenda_item: reaction.agendaItemId,
    button: reaction.buttonId,
    user: reaction.userId,
    content_type: reaction.contentType,
    object_id: reaction.objectId,
  }
}

/** `Note` (api.md §6.17). */
export function notePayload(note: Note) {
  return {
    id: note.id,
    rev: note.rev,
    meeting: note.meetingId,
    agenda_item: note.agendaItemId,
    proposal: note.proposalId,
    user: note.userId,
    body: note.body,
    intent: note.intent,
    created: iso(note.createdAt),
    modified: iso(note.updatedAt),
  }
}
