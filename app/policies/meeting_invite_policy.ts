import { BasePolicy } from '@adonisjs/bouncer'
import type User from '#models/user'
import type Meeting from '#models/meeting'
import type MeetingInvite from '#models/meeting_invite'
import MeetingRole from '#models/meeting_role'
import { meetingActor, meetingFacts } from '#services/meeting_facts'
import { vouchedIdentity } from '#services/vouched_identity'
import {
  canListInviteDataTypes,
  canManageInvites,
  canRespondToInvite,
  canViewInvites,
} from '#domain/permissions/invitations'

/** Invitations (domain §16.3, §16.4). Thin: gathers facts, calls the domain predicates. */
export default class MeetingInvitePolicy extends BasePolicy {
  async view(user: User, meeting: Meeting) {
    return canViewInvites(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async manage(user: User, meeting: Meeting) {
    return canManageInvites(await meetingActor(user, meeting), meetingFacts(meeting))
  }

  async respond(user: User, invite: MeetingInvite) {
    return canRespondToInvite(await vouchedIdentity(user), {
      organisationId: invite.organisationId,
      email: invite.email,
      swedishSsn: invite.swedishSsn,
      memberId: invite.memberId,
    })
  }

  async listDataTypes(user: User) {
    const moderated = await MeetingRole.forOrganisation(user.organisationId)
      .where('user_id', user.id)
      // JSON columns are compared as text (works on SQLite and PostgreSQL).
      .whereRaw('CAST(assigned AS TEXT) LIKE ?', ['%"mo"%'])
      .first()
    return canListInviteDataTypes(moderated !== null)
  }
}
