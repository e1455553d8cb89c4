import db from '@adonisjs/lucid/services/db'
import Meeting from '#models/meeting'
import MeetingRole from '#models/meeting_role'
import VoteTransfer from '#models/vote_transfer'
import type ElectoralRegister from '#models/electoral_register'
import { DomainError } from '#domain/errors'
import { manualVoters, policyFor, sameVoters } from '#domain/electoral_register/register'
import { checkTransfer } from '#domain/electoral_register/transfers'
import { recordAudit, type Actor } from '#services/audit_log'
import {
  asDomainError,
  deleteTransferIn,
  transferMessages,
  transferPayload,
  createRegisterIfNeeded,
  groupFacts,
  latestRegister,
  writeRegister,
} from '#services/electoral_registers'
import { publishAfterCommit } from '#realtime/publish'

async function lockedMeeting(trx: any, meeting: Meeting) {
  return Meeting.forOrganisation(meeting.organisationId)
    .where('id', meeting.id)
    .useTransaction(trx)
    .forUpdate()
    .firstOrFail()
}

function policyOf(meeting: Meeting) {
  try {
    return policyFor(meeting.erPolicyName)
  } catch (error) {
    asDomainError(error)
  }
}

/** POST /api/electoral-registers/trigger-create (domain §11.6): 201 new register or null (204). */
export class TriggerRegister {
  async execute(input: { meeting: Meeting; actor: Actor }): Promise<ElectoralRegister | null> {
    return db.transaction(async (trx) => {
      const meeting = await lockedMeeting(trx, input.meeting)
      if (meeting.state !== 'ongoing')
        throw new DomainError(
          'er.meeting_not_ongoing',
          'Registers can only be created while the meeting is ongoing'
        )
      const policy = policyOf(meeting)
      if (!policy.flags.allowTrigger)
        throw new DomainError(
          'er.trigger_not_allowed',
          `The policy "${policy.name}" does not allow triggering a register`,
          { params: { policy: policy.name } }
        )
      const { register, created } = await createRegisterIfNeeded(trx, meeting, input.actor, {
        policy,
      })
      return created ? register : null
    })
  }
}

/** POST /api/electoral-registers/manual-create: weights per user; 204 when identical to the latest. */
export class ManualRegister {
  async execute(input: {
    meeting: Meeting
    weights: Array<{ user: number; weight: number }>
    actor: Actor
  }): Promise<ElectoralRegister | null> {
    return db.transaction(async (trx) => {
      const meeting = await lockedMeeting(trx, input.meeting)
      if (meeting.state !== 'ongoing')
        throw new DomainError(
          'er.meeting_not_ongoing',
          'Registers can only be created while the meeting is ongoing'
        )
      const policy = policyOf(meeting)
      if (!policy.flags.allowManual)
        throw new DomainError(
          'er.manual_not_allowed',
          `The policy "${policy.name}" does not allow manual registers`,
          { params: { policy: policy.name } }
        )
      const roles = await MeetingRole.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .useTransaction(trx)
      const potential = new Set(
        roles.filter((row) => row.assigned.includes('pv')).map((row) => row.userId)
      )
      let voters
      try {
        voters = manualVoters(input.weights, potential)
      } catch (error) {
        asDomainError(error)
      }
      const latest = await latestRegister(trx, meeting)
      if (latest && sameVoters(latest.voterMap, voters)) return null
      return writeRegister(trx, meeting, voters, policy.name, input.actor)
    })
  }
}

async function checkAgainstPolicy(
  trx: any,
  meeting: Meeting,
  source: number,
  target: number,
  exceptId?: number
) {
  const policy = policyOf(meeting)
  const transferPolicy = policy.flags.voteTransferPolicy
  if (!transferPolicy)
    throw new DomainError(
      'vote_transfer.disabled',
      'Vote transfers are not enabled in this meeting'
    )
  const roles = await MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .useTransaction(trx)
  const transfers = await VoteTransfer.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .useTransaction(trx)
    .forUpdate()
  try {
    checkTransfer(
      transferPolicy,
      { sourceId: source, targetId: target },
      {
        participants: new Set(
          roles.filter((row) => row.assigned.length > 0).map((row) => row.userId)
        ),
        groups: await groupFacts(trx, meeting),
        transfers: transfers
          .filter((t) => t.id !== exceptId)
          .map((t) => ({ sourceId: t.sourceId, targetId: t.targetId })),
      }
    )
  } catch (error) {
    asDomainError(error)
  }
}

/** Vote transfers (domain §11.5); the permission predicates ran in the controller. */
export class SaveVoteTransfer {
  async create(input: { meeting: Meeting; source: number; target: number; actor: Actor }) {
    return db.transaction(async (trx) => {
      const meeting = await lockedMeeting(trx, input.meeting)
      await checkAgainstPolicy(trx, meeting, input.source, input.target)
      const transfer = await VoteTransfer.create(
        {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          sourceId: input.source,
          targetId: input.target,
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'create',
        event: 'vote_transfer.created',
        model: 'VoteTransfer',
        objectId: transfer.id,
        changes: { source: [null, input.source], target: [null, input.target] },
      })
      publishAfterCommit(
        trx,
        transferMessages(transfer, 'vt.changed', input.actor.requestId ?? null)
      )
      return transfer
    })
  }

  async change(input: { transfer: VoteTransfer; meeting: Meeting; target: number; actor: Actor }) {
    return db.transaction(async (trx) => {
      const meeting = await lockedMeeting(trx, input.meeting)
      const transfer = await VoteTransfer.forOrganisation(meeting.organisationId)
        .where('id', input.transfer.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      await checkAgainstPolicy(trx, meeting, transfer.sourceId, input.target, transfer.id)
      const before = transfer.targetId
      transfer.targetId = input.target
      transfer.rev += 1
      await transfer.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'vote_transfer.changed',
        model: 'VoteTransfer',
        objectId: transfer.id,
        changes: { target: [before, input.target] },
      })
      publishAfterCommit(
        trx,
        transferMessages(transfer, 'vt.changed', input.actor.requestId ?? null)
      )
      return transfer
    })
  }

  async delete(input: { transfer: VoteTransfer; actor: Actor }) {
    await db.transaction(async (trx) => {
      const transfer = await VoteTransfer.forOrganisation(input.transfer.organisationId)
        .where('id', input.transfer.id)
        .useTransaction(trx)
        .forUpdate()
        .firstOrFail()
      await deleteTransferIn(trx, transfer, input.actor)
    })
  }
}

export { deleteTransferIn, transferPayload }
