import MeetingInvite from '#models/meeting_invite'
import MeetingGroupAnnotation from '#models/meeting_group_annotation'
import { batch, registerSection } from '#realtime/snapshot_sections'
import { invitePayload } from '#transformers/invite_transformer'
import User from '#models/user'
import { registerMeetingHook } from '#services/meeting_hooks'
import { registerTransitionHook } from '#services/transitions'
import { acceptInviteIn, deleteInviteIn } from '#actions/invitations/invite_effects'
import { ExpireInvites } from '#actions/invitations/invitation_jobs'
import type Meeting from '#models/meeting'

/**
 * How invitations react to the meeting module (registered once at boot from the invitation routes):
 * - joining a meeting by any route auto-accepts the user's open email invites there (domain §16.4);
 * - leaving it deletes the accepted invites the user used, so a fresh one can be issued (§3.6);
 * - archiving a meeting expires its open invites (§7.4, §16.5).
 */
let registered = false

export function registerInvitationHooks() {
  if (registered) return
  registered = true

  registerMeetingHook('rolesChanged', async ({ trx, meeting, actor, userId, before, after }) => {
    if (before.length > 0 || after.length === 0) return
    const user = await User.forOrganisation(meeting.organisationId)
      .where('id', userId)
      .useTransaction(trx)
      .first()
    if (!user?.email) return
    const open = await MeetingInvite.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('state', 'open')
      .where('email', user.email.toLowerCase())
      .useTransaction(trx)
    for (const invite of open) await acceptInviteIn(trx, meeting, invite, userId, actor)
  })

  registerMeetingHook('participantRemoved', async ({ trx, meeting, actor, userId }) => {
    const used = await MeetingInvite.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('state', 'accepted')
      .where('used_by', userId)
      .useTransaction(trx)
    for (const invite of used) await deleteInviteIn(trx, invite, actor)
  })

  // The invites channel starts with the meeting's invitations (S57: "snapshot: the invite list").
  registerSection(
    'invites',
    'meeting_invites',
    async ({ organisation, params }) => {
      const invites = await MeetingInvite.forOrganisation(organisation.id)
        .where('meeting_id', params.meetingId)
        .orderBy('id')
      const annotated = new Set(
        (
          await MeetingGroupAnnotation.forOrganisation(organisation.id)
            .whereIn(
              'meeting_invite_id',
              invites.map((invite) => invite.id)
            )
            .select('meeting_invite_id')
        ).map((row) => row.meetingInviteId)
      )
      return [
        batch(
          'meeting_invite.changed',
          invites.map((invite) => invitePayload(invite, annotated.has(invite.id)))
        ),
      ]
    },
    { shared: true }
  )

  registerTransitionHook('Meeting', 'after', async ({ trx, object, event, actor }) => {
    if (event !== 'archive') return
    await new ExpireInvites().forMeeting(object as Meeting, actor, trx)
  })
}
