import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import MeetingInvite from '#models/meeting_invite'
import { fieldError, notFound } from '#domain/errors'
import {
  addRoles,
  meetingRoles,
  removeRoles,
  type MeetingRoleCode,
} from '#domain/permissions/roles'
import { normaliseInviteRoles } from '#domain/invitations/pipeline'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { changeRolesOfUser } from '#actions/meetings/change_meeting_roles'
import { hasAnnotations, inviteChanged } from '#actions/invitations/invite_effects'

export interface ChangeInviteRolesInput {
  meeting: Meeting
  inviteId: number
  roles: string[]
  mode: 'add' | 'remove'
  actor: Actor
}

/**
 * Token API `add_roles` / `remove_roles` on one invite (domain §18.4):
 * requirements follow (adding `pr` adds `pa`; removing a role removes the
 * roles that need it); `mo` can be neither granted nor removed this way, and
 * `pa` stays (every invite grants it). For an accepted invite the member's
 * meeting roles change the same way. One transaction, audited.
 */
export default class ChangeInviteRoles {
  async execute({ meeting, inviteId, roles, mode, actor }: ChangeInviteRolesInput) {
    const codes = normaliseInviteRoles(roles, 'roles').filter(
      // normaliseInviteRoles always adds `pa`; keep it only when it was asked for.
      (code) =>
        code !== 'pa' || roles.some((role) => role.trim() === 'pa' || role.trim() === 'participant')
    )
    const moIndex = roles.findIndex((role) => ['mo', 'moderator'].includes(role.trim()))
    if (moIndex >= 0) {
      throw fieldError(
        `roles.${moIndex}`,
        'The moderator role cannot be changed through the token API',
        'not_in'
      )
    }
    const paIndex = roles.findIndex((role) => ['pa', 'participant'].includes(role.trim()))
    if (mode === 'remove' && paIndex >= 0) {
      throw fieldError(`roles.${paIndex}`, 'Every invitation grants the participant role', 'not_in')
    }

    return db.transaction(async (trx) => {
      const invite = await MeetingInvite.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .where('id', inviteId)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!invite) throw notFound('No such invitation')
      const before = invite.roles
      const after: MeetingRoleCode[] =
        mode === 'add'
          ? addRoles(meetingRoles, before, codes)
          : removeRoles(meetingRoles, before, codes)
      if (before.join() === after.join()) return invite

      invite.roles = after
      invite.rev += 1
      await invite.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'meeting_invite.updated',
        model: 'MeetingInvite',
        objectId: invite.id,
        changes: { roles: [before, after] },
      })
      if (invite.state === 'accepted' && invite.usedBy !== null) {
        // The member's roles follow, but a moderator is never made or unmade here.
        await changeRolesOfUser(trx, meeting, invite.usedBy, codes, mode, actor, {
          allowModeratorChange: false,
        })
      }
      publishAfterCommit(trx, [inviteChanged(invite, await hasAnnotations(invite, trx), actor)])
      return invite
    })
  }
}
