import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import ElectoralRegister from '#models/electoral_register'
import MeetingRole from '#models/meeting_role'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import GroupRole from '#models/group_role'
import ActiveUser from '#models/active_user'
import MeetingComponent from '#models/meeting_component'
import VoteTransfer from '#models/vote_transfer'
import { DomainError } from '#domain/errors'
import {
  computeRegister,
  newRegisterNeeded,
  policyFor,
  totalWeight,
} from '#domain/electoral_register/register'
import {
  RegisterError,
  type GroupFacts,
  type RegisterFacts,
  type VoterMap,
} from '#domain/electoral_register/types'
import type { ErPolicy } from '#domain/electoral_register/policies'
import { invalidTransfers } from '#domain/electoral_register/transfers'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'

/**
 * The app side of electoral registers (domain §11): gathering RegisterFacts
 * from the database, creating immutable registers, and the policy's
 * `apply(poll)` step. The policies themselves are pure (app/domain/electoral_register).
 */

/** Domain register errors become API errors (422 naming the problem, domain §11.3 decision). */
export function asDomainError(error: unknown): never {
  if (error instanceof RegisterError) {
    const field = typeof error.meta.field === 'string' ? error.meta.field : undefined
    throw new DomainError(error.code, error.message, { field, meta: error.meta })
  }
  throw error
}

export async function groupFacts(
  client: QueryClientContract,
  meeting: Meeting
): Promise<GroupFacts[]> {
  const [groups, memberships, roles] = await Promise.all([
    MeetingGroup.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
      .orderBy('id'),
    GroupMembership.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
      .orderBy('id'),
    GroupRole.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .if((client as any).isTransaction, (q: any) => q.useTransaction(client)),
  ])
  const roleIds = new Map(roles.map((role) => [role.id, role.roleId]))
  return groups.map((group) => ({
    id: group.id,
    groupid: group.groupid,
    votes: group.votes,
    delegateTo: group.delegateToId,
    tags: group.tags ?? [],
    memberships: memberships
      .filter((membership) => membership.meetingGroupId === group.id)
      .map((membership) => ({
        id: membership.id,
        userId: membership.userId,
        role: membership.groupRoleId ? (roleIds.get(membership.groupRoleId) ?? null) : null,
        votes: membership.votes,
      })),
  }))
}

export async function registerFacts(
  client: QueryClientContract,
  meeting: Meeting
): Promise<RegisterFacts> {
  const [roles, active, component, transfers, groups] = await Promise.all([
    MeetingRole.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
      .orderBy('user_id'),
    ActiveUser.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .if((client as any).isTransaction, (q: any) => q.useTransaction(client)),
    MeetingComponent.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('component_name', 'active_users')
      .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
      .first(),
    VoteTransfer.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
      .orderBy('id'),
    groupFacts(client, meeting),
  ])
  const activeSince = new Map(active.map((row) => [row.userId, row.createdAt.toMillis()]))
  return {
    meetingId: meeting.id,
    groupVotesActive: meeting.groupVotesActive,
    activeUsersEnabled: !!component?.enabled,
    members: roles.map((role) => ({
      userId: role.userId,
      roles: role.assigned,
      activeSince: activeSince.get(role.userId) ?? null,
    })),
    groups,
    transfers: transfers.map((transfer) => ({
      sourceId: transfer.sourceId,
      targetId: transfer.targetId,
    })),
  }
}

export async function latestRegister(client: QueryClientContract, meeting: Meeting) {
  return ElectoralRegister.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .if((client as any).isTransaction, (q: any) => q.useTransaction(client))
    .orderBy('id', 'desc')
    .first()
}

export function registerPayload(register: ElectoralRegister) {
  return {
    id: register.id,
    rev: register.rev,
    meeting: register.meetingId,
    created: register.createdAt.toUTC().toISO(),
    source: register.source,
    weights: register.voterData.map(([user, weight]) => ({
      user: Number(user),
      weight: Number(weight),
    })),
  }
}

/** Writes a new register (its one sanctioned write), audited, `er.changed` after commit. */
export async function writeRegister(
  trx: TransactionClientContract,
  meeting: Meeting,
  voters: VoterMap,
  source: string,
  actor: Actor
): Promise<ElectoralRegister> {
  const sorted = [...voters].filter(([, weight]) => weight > 0).sort(([a], [b]) => a - b)
  const register = await ElectoralRegister.create(
    {
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      source,
      voterData: sorted,
      voters: sorted.length,
      totalWeight: totalWeight(new Map(sorted)),
      rev: 1,
    },
    { client: trx }
  )
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: 'create',
    event: 'electoral_register.created',
    model: 'ElectoralRegister',
    objectId: register.id,
    changes: {
      source: [null, source],
      voters: [null, register.voters],
      total_weight: [null, register.totalWeight],
    },
  })
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'er.changed',
      data: registerPayload(register),
      rid: actor.requestId ?? null,
    },
  ])
  return register
}

/**
 * create_er(force) of domain §11.3: computes the voters and writes a register
 * when needed (or forced). Returns `{register, created}`; `register` is the
 * latest one when nothing changed. Membership allocations written by the
 * policy (main_subst_active) are stored too.
 */
export async function createRegisterIfNeeded(
  trx: TransactionClientContract,
  meeting: Meeting,
  actor: Actor,
  options: { force?: boolean; policy?: ErPolicy } = {}
): Promise<{ register: ElectoralRegister | null; created: boolean }> {
  let policy: ErPolicy
  let computation
  try {
    policy = options.policy ?? policyFor(meeting.erPolicyName)
    let facts = await registerFacts(trx, meeting)
    if (policy.flags.voteTransferPolicy === 'main_and_subst') {
      // main_and_subst clean-up (domain §11.5): transfers whose group roles no longer fit are deleted
      // before the register is computed (the group module offers no change hook to do it earlier).
      const stale = invalidTransfers(facts.transfers, facts.groups)
      if (stale.length > 0) {
        const rows = await VoteTransfer.forOrganisation(meeting.organisationId)
          .where('meeting_id', meeting.id)
          .useTransaction(trx)
        for (const row of rows) {
          if (stale.some((t) => t.sourceId === row.sourceId && t.targetId === row.targetId))
            await deleteTransferIn(trx, row, actor)
        }
        facts = await registerFacts(trx, meeting)
      }
    }
    computation = computeRegister(policy.name, facts)
  } catch (error) {
    asDomainError(error)
  }
  const latest = await latestRegister(trx, meeting)
  const needed =
    options.force ||
    newRegisterNeeded({
      meetingOngoing: meeting.state === 'ongoing',
      policy,
      latest: latest?.voterMap ?? null,
      voters: computation.voters,
    })
  if (computation.membershipVotes) {
    for (const [membershipId, votes] of computation.membershipVotes) {
      await GroupMembership.forOrganisation(meeting.organisationId)
        .where('id', membershipId)
        .useTransaction(trx)
        .update({ votes })
    }
  }
  if (!needed) {
    return { register: latest, created: false }
  }
  return {
    register: await writeRegister(trx, meeting, computation.voters, policy.name, actor),
    created: true,
  }
}

/** Whether the meeting's policy computes registers by itself (not manual-only, not historic). */
export function policyComputes(policy: ErPolicy) {
  return !policy.flags.historic && policy.name !== 'manual'
}

/**
 * The policy's apply(poll) (domain §11.3), on → upcoming and → ongoing:
 * policies without `require_manual` (re)create the register first; then the
 * meeting's latest register is attached when the poll has none or an older one.
 */
export async function applyPolicyToPoll(
  trx: TransactionClientContract,
  meeting: Meeting,
  poll: { electoralRegisterId: number | null },
  actor: Actor
): Promise<ElectoralRegister | null> {
  let policy: ErPolicy
  try {
    policy = policyFor(meeting.erPolicyName)
  } catch (error) {
    asDomainError(error)
  }
  if (!policy.flags.requireManual && policyComputes(policy)) {
    await createRegisterIfNeeded(trx, meeting, actor, { policy })
  }
  const latest = await latestRegister(trx, meeting)
  if (latest && (poll.electoralRegisterId === null || poll.electoralRegisterId < latest.id)) {
    poll.electoralRegisterId = latest.id
  }
  return latest
}

export function transferPayload(transfer: VoteTransfer) {
  return {
    id: transfer.id,
    rev: transfer.rev,
    meeting: transfer.meetingId,
    source: transfer.sourceId,
    target: transfer.targetId,
    created: transfer.createdAt.toUTC().toISO(),
  }
}

export function transferMessages(
  transfer: VoteTransfer,
  type: 'vt.changed' | 'vt.deleted',
  rid: string | null
): OutgoingMessage[] {
  // Decision (domain §11.5): moderators and the two users only.
  const data =
    type === 'vt.changed'
      ? transferPayload(transfer)
      : { id: transfer.id, meeting: transfer.meetingId }
  return [
    { channel: channels.moderators(transfer.meetingId), type, data, rid },
    { channel: channels.user(transfer.sourceId), type, data, rid },
    { channel: channels.user(transfer.targetId), type, data, rid },
  ]
}

/** Deletes one transfer inside the caller's transaction: audited, `vt.deleted` after commit. */
export async function deleteTransferIn(
  trx: TransactionClientContract,
  transfer: VoteTransfer,
  actor: Actor
) {
  await transfer.useTransaction(trx).delete()
  await recordAudit(trx, actor, {
    organisationId: transfer.organisationId,
    meetingId: transfer.meetingId,
    action: 'delete',
    event: 'vote_transfer.deleted',
    model: 'VoteTransfer',
    objectId: transfer.id,
    changes: { source: [transfer.sourceId, null], target: [transfer.targetId, null] },
  })
  publishAfterCommit(trx, transferMessages(transfer, 'vt.deleted', actor.requestId ?? null))
}
