import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import MeetingInvite from '#models/meeting_invite'
import MeetingGroupAnnotation from '#models/meeting_group_annotation'
import type User from '#models/user'
import { DomainError, notFound } from '#domain/errors'
import { recordAudit, type Actor } from '#services/audit_log'
import { acceptInviteIn, closeInviteIn, deleteInviteIn, hashToken } from './invite_effects.js'

/** Accept or decline an invite matched by identity (domain §16.4); the policy checked the match. */
export class RespondToInvite {
  async accept(invite: MeetingInvite, user: User, actor: Actor) {
    const meeting = await Meeting.findInOrganisation(invite.organisationId, invite.meetingId)
    if (!meeting) throw notFound('No such invitation')
    return db.transaction(async (trx) => {
      const { assigned } = await acceptInviteIn(trx, meeting, invite, user.id, actor)
      return { meeting: meeting.id, assigned }
    })
  }

  async reject(invite: MeetingInvite, user: User, actor: Actor) {
    return db.transaction((trx) => closeInviteIn(trx, invite, 'reject', actor, { userId: user.id }))
  }
}

/** An invite by its link token in the organisation; gone (410) when it cannot be used any more. */
export async function inviteByToken(organisationId: number, token: string) {
  const invite = await MeetingInvite.forOrganisation(organisationId)
    .where('token_hash', hashToken(token))
    .first()
  if (!invite) throw notFound('No such invitation link')
  const expired = invite.expires !== null && invite.expires < DateTime.utc()
  if (invite.state !== 'open' || expired) {
    throw new DomainError(
      'invite.token_unavailable',
      'This invitation link has expired or was already used',
      {
        meta: { state: expired && invite.state === 'open' ? 'expired' : invite.state },
      }
    )
  }
  const meeting = await Meeting.findInOrganisation(organisationId, invite.meetingId)
  if (!meeting) throw notFound('No such invitation link')
  return { invite, meeting }
}

/** `POST /api/invites/accept-token` (api.md §11.5): the logged-in holder of the link accepts it. */
export class AcceptInviteToken {
  async execute(organisationId: number, token: string, user: User, actor: Actor) {
    const { invite, meeting } = await inviteByToken(organisationId, token)
    return db.transaction(async (trx) => {
      const { assigned } = await acceptInviteIn(trx, meeting, invite, user.id, actor)
      return { meeting: meeting.id, assigned }
    })
  }
}

/** Moderator operations on a meeting's invites (api.md §6.11). */
export class ManageInvites {
  /** The `revoke` event (generic event endpoint); `can` answers the machine's permission question. */
  async revoke(invite: MeetingInvite, actor: Actor, can: (permission: string) => boolean) {
    return db.transaction((trx) => closeInviteIn(trx, invite, 'revoke', actor, { can }))
  }

  /** Revokes the open ones among `ids` (others are skipped); ids of other meetings are a 422. */
  async bulkRevoke(meeting: Meeting, ids: number[], actor: Actor) {
    return db.transaction(async (trx) => {
      const invites = await this.invitesOf(meeting, ids, trx)
      let revoked = 0
      for (const invite of invites.filter((candidate) => candidate.state === 'open')) {
        await closeInviteIn(trx, invite, 'revoke', actor)
        revoked++
      }
      return { revoked }
    })
  }

  async bulkDelete(meeting: Meeting, ids: number[], actor: Actor) {
    return db.transaction(async (trx) => {
      const invites = await this.invitesOf(meeting, ids, trx)
      for (const invite of invites) await deleteInviteIn(trx, invite, actor)
      return { deleted: invites.length }
    })
  }

  /** `group` removes the pending memberships, `grouprole` only their group roles. */
  async clearAnnotations(meeting: Meeting, types: Array<'group' | 'grouprole'>, actor: Actor) {
    return db.transaction(async (trx) => {
      const annotations = await MeetingGroupAnnotation.forOrganisation(meeting.organisationId)
        .whereIn('meeting_invite_id', (sub) =>
          sub.from('meeting_invites').select('id').where('meeting_id', meeting.id)
        )
        .useTransaction(trx)
      let cleared = 0
      for (const annotation of annotations) {
        if (types.includes('group')) {
          await annotation.useTransaction(trx).delete()
        } else if (annotation.groupRoleId !== null) {
          annotation.groupRoleId = null
          await annotation.useTransaction(trx).save()
        } else continue
        cleared++
        await recordAudit(trx, actor, {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          action: types.includes('group') ? 'delete' : 'update',
          event: types.includes('group')
            ? 'meeting_group_annotation.deleted'
            : 'meeting_group_annotation.updated',
          model: 'MeetingGroupAnnotation',
          objectId: annotation.id,
          changes: types.includes('group')
            ? { meeting_group: [annotation.meetingGroupId, null] }
            : { role: ['set', null] },
        })
      }
      return { cleared }
    })
  }

  private async invitesOf(meeting: Meeting, ids: number[], trx: TransactionClientContract) {
    const unique = [...new Set(ids)]
    const invites = await MeetingInvite.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .whereIn('id', unique)
      .useTransaction(trx)
      .forUpdate()
    const missing = unique.find((id) => !invites.some((invite) => invite.id === id))
    if (missing !== undefined) {
      throw new DomainError('validation.failed', `No invitation ${missing} in this meeting`, {
        field: `invites.${ids.indexOf(missing)}`,
        rule: 'exists',
      })
    }
    return invites
  }
}
