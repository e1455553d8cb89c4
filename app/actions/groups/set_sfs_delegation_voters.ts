import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import MeetingRole from '#models/meeting_role'
import { DomainError, notFound, permissionDenied } from '#domain/errors'
import { isMeetingFinished } from '#domain/meetings/state_machine'
import {
  sfsAllocation,
  sfsViolation,
  type SfsWeight,
} from '#domain/electoral_register/sfs_delegation'
import { diffFields, recordAudits, type Actor, type AuditRecordOf } from '#services/audit_log'
import { membershipAuditState, membershipTrackedFields } from '#transformers/group_transformer'
import { publishMembership } from '#actions/groups/change_membership'

/**
 * SFS delegation weights (domain §11.6, api.md §6.6): writes the weights to
 * the group's memberships (`votes`; members not listed get null) in one
 * transaction. The `gv_auto_before_p` policy reads those votes when it builds
 * the next register. Permission is the caller's business (MeetingPolicy).
 */
export class SetSfsDelegationVoters {
  async execute(input: {
    meeting: Meeting
    group: MeetingGroup
    weights: SfsWeight[]
    actor: Actor
  }): Promise<GroupMembership[]> {
    const { actor, weights } = input
    const organisationId = input.meeting.organisationId
    return db.transaction(async (trx) => {
      // The group row lock serialises two settings of the same group (and a group edit).
      const group = await MeetingGroup.forOrganisation(organisationId)
        .where('id', input.group.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      const meeting = await Meeting.forOrganisation(organisationId)
        .where('id', input.meeting.id)
        .useTransaction(trx)
        .first()
      if (!group || !meeting) throw notFound('No such group')
      // The policy checked the state before the transaction; a close in between wins.
      if (isMeetingFinished(meeting.state)) throw permissionDenied('sfs.set_delegation_voters')
      const memberships = await GroupMembership.forOrganisation(organisationId)
        .where('meeting_group_id', group.id)
        .orderBy('id')
        .useTransaction(trx)
        .forUpdate()
      const pvHolders = await potentialVoters(trx, meeting, memberships)
      const violation = sfsViolation(weights, {
        erPolicyName: meeting.erPolicyName,
        groupVotes: group.votes,
        members: new Map(memberships.map((m) => [m.userId, { pv: pvHolders.has(m.userId) }])),
      })
      if (violation) {
        throw new DomainError(violation.code, violation.message, {
          field: violation.field,
          rule: violation.rule,
        })
      }
      const allocation = sfsAllocation(
        weights,
        memberships.map((m) => m.userId)
      )
      const audits: AuditRecordOf[] = []
      const before: Record<number, number> = {}
      const after: Record<number, number> = {}
      for (const membership of memberships) {
        const votes = allocation.get(membership.userId) ?? null
        if (membership.votes) before[membership.userId] = membership.votes
        if (votes) after[membership.userId] = votes
        if (membership.votes === votes) continue
        const state = membershipAuditState(membership)
        membership.votes = votes
        membership.rev += 1
        await membership.useTransaction(trx).save()
        audits.push({
          actor,
          record: {
            organisationId,
            meetingId: meeting.id,
            action: 'update',
            event: 'group_membership.updated',
            model: 'GroupMembership',
            objectId: membership.id,
            changes: diffFields(state, membershipAuditState(membership), membershipTrackedFields),
          },
        })
        publishMembership(trx, membership, actor)
      }
      // One entry on the group says who set which weights (even when nothing changed).
      audits.push({
        actor,
        record: {
          organisationId,
          meetingId: meeting.id,
          action: 'update',
          event: 'meeting_group.delegation_voters_set',
          model: 'MeetingGroup',
          objectId: group.id,
          changes: { delegation_voters: [before, after] },
        },
      })
      await recordAudits(trx, audits)
      return memberships
    })
  }
}

async function potentialVoters(
  trx: TransactionClientContract,
  meeting: Meeting,
  memberships: GroupMembership[]
): Promise<Set<number>> {
  if (memberships.length === 0) return new Set()
  const rows = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .whereIn(
      'user_id',
      memberships.map((m) => m.userId)
    )
    .useTransaction(trx)
  return new Set(rows.filter((row) => row.assigned.includes('pv')).map((row) => row.userId))
}
