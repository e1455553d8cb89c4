import type MeetingInvite from '#models/meeting_invite'
import { maskUserData } from '#domain/invitations/identity'

/** `MeetingInvite` (api.md §6.11) with masked identity data (api.md §2). */
export function invitePayload(invite: MeetingInvite, hasAnnotations: boolean) {
  return {
    id: invite.id,
    rev: invite.rev,
    meeting: invite.meetingId,
    state: invite.state,
    roles: invite.roles,
    user_data: maskUserData(invite.userData),
    has_annotations: hasAnnotations,
    used_by: invite.usedBy,
    used_at: invite.usedAt?.toUTC().toISO() ?? null,
    expires: invite.expires?.toUTC().toISO() ?? null,
    has_link: invite.tokenHash !== null,
    created: invite.createdAt.toUTC().toISO(),
    modified: invite.updatedAt.toUTC().toISO(),
  }
}
