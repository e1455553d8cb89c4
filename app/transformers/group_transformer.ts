import type MeetingGroup from '#models/meeting_group'
import type GroupRole from '#models/group_role'
import type GroupMembership from '#models/group_membership'

/** `MeetingGroup` (api.md §6.6, §8.2). */
export function groupPayload(group: MeetingGroup) {
  return {
    id: group.id,
    rev: group.rev,
    meeting: group.meetingId,
    title: group.title,
    body: group.body,
    groupid: group.groupid,
    tags: group.tags,
    votes: group.votes,
    delegate_to: group.delegateToId,
    post_as: group.postAs,
    show_on_speaker: group.showOnSpeaker,
  }
}

export function groupRolePayload(role: GroupRole) {
  return {
    id: role.id,
    rev: role.rev,
    meeting: role.meetingId,
    title: role.title,
    role_id: role.roleId,
    roles: role.roles,
  }
}

export function membershipPayload(membership: GroupMembership) {
  return {
    id: membership.id,
    rev: membership.rev,
    meeting: membership.meetingId,
    meeting_group: membership.meetingGroupId,
    user: membership.userId,
    role: membership.groupRoleId,
    votes: membership.votes,
  }
}

/** Audit state of the tracked fields (domain §19.1). */
export const groupTrackedFields = [
  'title',
  'body',
  'groupid',
  'meeting',
  'votes',
  'delegate_to',
  'show_on_speaker',
  'post_as',
] as const
export function groupAuditState(
  group: MeetingGroup
): Record<(typeof groupTrackedFields)[number], unknown> {
  return {
    title: group.title,
    body: group.body,
    groupid: group.groupid,
    meeting: group.meetingId,
    votes: group.votes,
    delegate_to: group.delegateToId,
    show_on_speaker: group.showOnSpeaker,
    post_as: group.postAs,
  }
}

export const groupRoleTrackedFields = ['title', 'role_id', 'meeting', 'roles'] as const
export function groupRoleAuditState(
  role: GroupRole
): Record<(typeof groupRoleTrackedFields)[number], unknown> {
  return { title: role.title, role_id: role.roleId, meeting: role.meetingId, roles: role.roles }
}

export const membershipTrackedFields = ['user', 'meeting_group', 'role', 'votes'] as const
export function membershipAuditState(
  membership: GroupMembership
): Record<(typeof membershipTrackedFields)[number], unknown> {
  return {
    user: membership.userId,
    meeting_group: membership.meetingGroupId,
    role: membership.groupRoleId,
    votes: membership.votes,
  }
}
