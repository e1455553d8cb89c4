import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import MeetingInvite from '#models/meeting_invite'
import MeetingGroupAnnotation from '#models/meeting_group_annotation'
import GroupMembership from '#models/group_membership'
import MeetingGroup from '#models/meeting_group'
import User from '#models/user'
import { vouchedIdentity } from '#services/vouched_identity'
import type { InviteeFacts } from '#domain/permissions/invitations'
import MeetingRole from '#models/meeting_role'
import { evaluateInviteEvent, type InviteState } from '#domain/invitations/state_machine'
import { assertEvaluation } from '#services/transitions'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { invitePayload } from '#transformers/invite_transformer'
import { changeRolesOfUser } from '#actions/meetings/change_meeting_roles'
import { CreateMembership, UpdateMembership } from '#actions/groups/change_membership'
import type { MeetingRoleCode } from '#domain/permissions/roles'

/** api.md §11.5: link invitations expire after 14 days by default. */
export const LINK_VALIDITY_DAYS = 14

export function hashToken(token: string) {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** 32 random bytes, base64url (api.md §11.5); only the hash is stored. */
export function newInviteToken() {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashToken(token) }
}

export async function hasAnnotations(invite: MeetingInvite, trx?: TransactionClientContract) {
  const query = MeetingGroupAnnotation.forOrganisation(invite.organisationId).where(
    'meeting_invite_id',
    invite.id
  )
  if (trx) query.useTransaction(trx)
  return (await query.first()) !== null
}

export function inviteChanged(
  invite: MeetingInvite,
  annotated: boolean,
  actor: Actor
): OutgoingMessage {
  return {
    channel: channels.invites(invite.meetingId),
    type: 'meeting_invite.changed',
    data: invitePayload(invite, annotated),
    rid: actor.requestId ?? null,
  }
}

/** Open invites of the organisation matching a user's vouched identity (domain §16.4). */
export function matchedInvitesQuery(identity: InviteeFacts) {
  return MeetingInvite.forOrganisation(identity.organisationId)
    .where('state', 'open')
    .where((any) => {
      if (identity.email) any.orWhere('email', identity.email)
      if (identity.swedishSsn.length) any.orWhereIn('swedish_ssn', [...identity.swedishSsn])
      if (identity.memberIds.length) any.orWhereIn('member_id', [...identity.memberIds])
      if (!identity.email && !identity.swedishSsn.length && !identity.memberIds.length)
        any.whereRaw('1 = 0')
    })
}

/** `matched_invites.changed {count}` for the users whose email an invite names (a hint to refetch). */
export async function announceMatches(
  trx: TransactionClientContract,
  organisationId: number,
  emails: Iterable<string>,
  actor: Actor
) {
  const list = [...new Set(emails)]
  if (list.length === 0) return
  const users = await User.forOrganisation(organisationId)
    .whereIn('email', list)
    .useTransaction(trx)
  const messages: OutgoingMessage[] = []
  for (const user of users) {
    const count = await matchedInvitesQuery(await vouchedIdentity(user, trx))
      .useTransaction(trx)
      .count('* as total')
    messages.push({
      channel: channels.user(user.id),
      type: 'matched_invites.changed',
      data: { count: Number(count[0].$extras.total) },
      rid: actor.requestId ?? null,
    })
  }
  publishAfterCommit(trx, messages)
}

/**
 * Creates or updates the user's membership of a group, with an optional group role, through the
 * group actions (domain §7.2): holding a group role grants its meeting roles (§3.5).
 */
export async function applyMembership(
  trx: TransactionClientContract,
  meeting: Meeting,
  userId: number,
  meetingGroupId: number,
  groupRoleId: number | null,
  actor: Actor
) {
  const existing = await GroupMembership.forOrganisation(meeting.organisationId)
    .where('meeting_group_id', meetingGroupId)
    .where('user_id', userId)
    .useTransaction(trx)
    .first()
  if (existing) {
    if (groupRoleId === null || existing.groupRoleId === groupRoleId) return existing
    return new UpdateMembership().execute({
      meeting,
      membership: existing,
      changes: { groupRoleId },
      actor,
      trx,
    })
  }
  const group = await MeetingGroup.forOrganisation(meeting.organisationId)
    .where('id', meetingGroupId)
    .useTransaction(trx)
    .firstOrFail()
  return new CreateMembership().execute({ meeting, group, userId, groupRoleId, actor, trx })
}

/** Writes a state change of an invite with its audit entry (the machine has been evaluated). */
async function writeInviteState(
  trx: TransactionClientContract,
  invite: MeetingInvite,
  to: InviteState,
  actor: Actor,
  usedBy: number | null
) {
  const before = { state: invite.state, used_by: invite.usedBy }
  invite.state = to
  if (usedBy !== null) {
    invite.usedBy = usedBy
    invite.usedAt = DateTime.utc()
  }
  invite.rev += 1
  await invite.useTransaction(trx).save()
  await recordAudit(trx, actor, {
    organisationId: invite.organisationId,
    meetingId: invite.meetingId,
    action: 'update',
    event: `meeting_invite.${to}`,
    model: 'MeetingInvite',
    objectId: invite.id,
    changes: { state: [before.state, to], used_by: [before.used_by, invite.usedBy] },
  })
}

async function lockInvite(trx: TransactionClientContract, invite: MeetingInvite) {
  const locked = await MeetingInvite.forOrganisation(invite.organisationId)
    .where('id', invite.id)
    .useTransaction(trx)
    .forUpdate()
    .firstOrFail()
  return locked
}

/**
 * Accepts an invite for `userId` inside `trx` (domain §16.3, §16.4): the state is written first so
 * that the auto-accept hook, triggered by the role grant, does not see this invite as open; then
 * the roles are granted and the annotations applied (group memberships and group roles).
 */
export async function acceptInviteIn(
  trx: TransactionClientContract,
  meeting: Meeting,
  inviteRow: MeetingInvite,
  userId: number,
  actor: Actor
): Promise<{ invite: MeetingInvite; assigned: MeetingRoleCode[] }> {
  const invite = await lockInvite(trx, inviteRow)
  const { to } = assertEvaluation(evaluateInviteEvent(invite.state, 'accept', () => true))
  await writeInviteState(trx, invite, to, actor, userId)
  let { after: assigned } = await changeRolesOfUser(
    trx,
    meeting,
    userId,
    invite.roles,
    'add',
    actor
  )
  const annotations = await MeetingGroupAnnotation.forOrganisation(invite.organisationId)
    .where('meeting_invite_id', invite.id)
    .useTransaction(trx)
  for (const annotation of annotations) {
    await applyMembership(
      trx,
      meeting,
      userId,
      annotation.meetingGroupId,
      annotation.groupRoleId,
      actor
    )
  }
  if (annotations.some((annotation) => annotation.groupRoleId !== null)) {
    // Group roles may have granted more roles: answer with the row as it is now.
    const row = await MeetingRole.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('user_id', userId)
      .useTransaction(trx)
      .first()
    assigned = row?.assigned ?? assigned
  }
  publishAfterCommit(trx, [inviteChanged(invite, annotations.length > 0, actor)])
  if (invite.email) await announceMatches(trx, invite.organisationId, [invite.email], actor)
  return { invite, assigned }
}

/** Declines (`reject`) or revokes an invite inside `trx`. `userId` is recorded for a decline. */
export async function closeInviteIn(
  trx: TransactionClientContract,
  inviteRow: MeetingInvite,
  event: 'reject' | 'revoke' | 'expire',
  actor: Actor,
  options: { userId?: number | null; can?: (permission: string) => boolean; force?: boolean } = {}
) {
  const invite = await lockInvite(trx, inviteRow)
  const { to } = assertEvaluation(
    evaluateInviteEvent(invite.state, event, options.can ?? (() => true), options.force)
  )
  await writeInviteState(trx, invite, to, actor, options.userId ?? null)
  publishAfterCommit(trx, [inviteChanged(invite, await hasAnnotations(invite, trx), actor)])
  if (invite.email) await announceMatches(trx, invite.organisationId, [invite.email], actor)
  return invite
}

/** Deletes an invite with its audit entry and `meeting_invite.deleted`. */
export async function deleteInviteIn(
  trx: TransactionClientContract,
  invite: MeetingInvite,
  actor: Actor,
  event = 'meeting_invite.deleted'
) {
  await invite.useTransaction(trx).delete()
  await recordAudit(trx, actor, {
    organisationId: invite.organisationId,
    meetingId: invite.meetingId,
    action: 'delete',
    event,
    model: 'MeetingInvite',
    objectId: invite.id,
    changes: { state: [invite.state, null], roles: [invite.roles, null] },
  })
  publishAfterCommit(trx, [
    {
      channel: channels.invites(invite.meetingId),
      type: 'meeting_invite.deleted',
      data: { id: invite.id, rev: invite.rev + 1, meeting: invite.meetingId },
      rid: actor.requestId ?? null,
    },
  ])
}
