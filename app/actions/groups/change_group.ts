import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import MeetingGroup from '#models/meeting_group'
import GroupMembership from '#models/group_membership'
import { DomainError, fieldError, notFound, permissionDenied } from '#domain/errors'
import {
  createsDelegationCycle,
  freeGroupid,
  parseBulkGroups,
  trimAllocations,
} from '#domain/meetings/groups'
import { collectTags } from '#domain/agenda/tags'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { sanitizeRichText } from '#services/rich_text'
import { countGroupReferences } from '#services/meeting_hooks'
import { insertOrConflict } from '#services/unique_violation'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import {
  groupAuditState,
  groupPayload,
  groupTrackedFields,
  membershipPayload,
} from '#transformers/group_transformer'
import { installedDialectDefinition } from '#transformers/meeting_transformer'
import { DeleteMembership } from '#actions/groups/change_membership'

export interface GroupFields {
  title?: string
  groupid?: string
  body?: string
  tags?: string[]
  votes?: number | null
  postAs?: boolean
  showOnSpeaker?: boolean
  delegateTo?: number | null
}

function publish(
  trx: TransactionClientContract,
  group: MeetingGroup,
  actor: Actor,
  deleted = false
) {
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(group.meetingId),
      type: deleted ? 'meeting_group.deleted' : 'meeting_group.changed',
      data: deleted
        ? { id: group.id, rev: group.rev + 1, meeting: group.meetingId }
        : groupPayload(group),
      rid: actor.requestId ?? null,
    },
  ])
}

async function takenGroupids(trx: TransactionClientContract, meeting: Meeting) {
  const rows = await MeetingGroup.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .select('groupid')
    .useTransaction(trx)
  return new Set(rows.map((row) => row.groupid))
}

/** D13 + §7.2: delegation only with `groups_can_delegate`, to a group of the meeting, never in a cycle. */
async function checkDelegation(
  trx: TransactionClientContract,
  meeting: Meeting,
  groupId: number,
  target: number
) {
  const dialect = (await installedDialectDefinition(meeting)) as {
    groups_can_delegate?: boolean
  } | null
  if (!dialect?.groups_can_delegate) {
    throw fieldError(
      'delegate_to',
      'Groups of this meeting cannot delegate (the installed dialect does not allow it)',
      'not_allowed'
    )
  }
  const groups = await MeetingGroup.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .useTransaction(trx)
  if (!groups.some((group) => group.id === target))
    throw fieldError('delegate_to', 'No such group in this meeting', 'exists')
  const delegateTo = new Map(groups.map((group) => [group.id, group.delegateToId]))
  if (createsDelegationCycle(groupId, target, delegateTo)) {
    throw fieldError('delegate_to', 'Delegation must not form a cycle', 'cycle')
  }
}

export class CreateGroup {
  async execute(input: {
    meeting: Meeting
    fields: GroupFields & { title: string }
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const { meeting, fields, actor } = input
      const taken = await takenGroupids(trx, meeting)
      let groupid = fields.groupid
      if (groupid) {
        if (taken.has(groupid))
          throw fieldError('groupid', 'This groupid is already used in the meeting', 'unique')
      } else {
        groupid = freeGroupid(fields.title, taken) ?? undefined
        if (!groupid)
          throw fieldError(
            'groupid',
            'Please choose a groupid: the ones derived from the title are taken',
            'required'
          )
      }
      const body = sanitizeRichText(fields.body ?? '', 'relaxed')
      const group = await insertOrConflict(
        () =>
          MeetingGroup.create(
            {
              organisationId: meeting.organisationId,
              meetingId: meeting.id,
              title: fields.title.trim(),
              body,
              groupid,
              votes: fields.votes ?? null,
              delegateToId: null,
              showOnSpeaker: fields.showOnSpeaker ?? true,
              postAs: fields.postAs ?? false,
              tags: collectTags(body, fields.tags ?? []),
              rev: 1,
            },
            { client: trx }
          ),
        'The groupid'
      )
      if (fields.delegateTo) {
        await checkDelegation(trx, meeting, group.id, fields.delegateTo)
        group.delegateToId = fields.delegateTo
        await group.useTransaction(trx).save()
      }
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'create',
        event: 'meeting_group.created',
        model: 'MeetingGroup',
        objectId: group.id,
        changes: diffFields({}, groupAuditState(group), groupTrackedFields),
      })
      publish(trx, group, actor)
      return group
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

export class UpdateGroup {
  async execute(input: {
    meeting: Meeting
    group: MeetingGroup
    fields: GroupFields
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const { meeting, fields, actor } = input
      const group = await MeetingGroup.forOrganisation(meeting.organisationId)
        .where('id', input.group.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!group) throw notFound('No such group')
      const before = groupAuditState(group)
      const tagsBefore = [...group.tags]
      if (fields.title !== undefined) group.title = fields.title.trim()
      if (fields.body !== undefined) group.body = sanitizeRichText(fields.body, 'relaxed')
      if (fields.body !== undefined || fields.tags !== undefined)
        group.tags = collectTags(group.body, fields.tags ?? [])
      if (fields.postAs !== undefined) group.postAs = fields.postAs
      if (fields.showOnSpeaker !== undefined) group.showOnSpeaker = fields.showOnSpeaker
      if (fields.votes !== undefined) group.votes = fields.votes
      if (fields.delegateTo !== undefined && fields.delegateTo !== group.delegateToId) {
        if (fields.delegateTo !== null)
          await checkDelegation(trx, meeting, group.id, fields.delegateTo)
        group.delegateToId = fields.delegateTo
      }
      const diff = diffFields(before, groupAuditState(group), groupTrackedFields)
      // tags are not a tracked field (domain §19.1) but a change of them is still recorded
      if (JSON.stringify(tagsBefore) !== JSON.stringify(group.tags))
        diff.tags = [tagsBefore, group.tags]
      if (Object.keys(diff).length === 0) return group
      group.rev += 1
      await group.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'meeting_group.updated',
        model: 'MeetingGroup',
        objectId: group.id,
        changes: diff,
      })
      publish(trx, group, actor)
      if (diff.votes && group.votes !== null) await this.trimAllocations(trx, meeting, group, actor)
      return group
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }

  /** D12: allocations beyond the new total become null, in membership creation order. */
  private async trimAllocations(
    trx: TransactionClientContract,
    meeting: Meeting,
    group: MeetingGroup,
    actor: Actor
  ) {
    const memberships = await GroupMembership.forOrganisation(meeting.organisationId)
      .where('meeting_group_id', group.id)
      .orderBy('id')
      .useTransaction(trx)
    const allocation = trimAllocations(memberships, group.votes)
    for (const membership of memberships) {
      const votes = allocation.get(membership.id) ?? null
      if (votes === membership.votes) continue
      const previous = membership.votes
      membership.votes = votes
      membership.rev += 1
      await membership.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'group_membership.updated',
        model: 'GroupMembership',
        objectId: membership.id,
        changes: { votes: [previous, votes] },
      })
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(meeting.id),
          type: 'group_membership.changed',
          data: membershipPayload(membership),
          rid: actor.requestId ?? null,
        },
      ])
    }
  }
}

/**
 * Deletes a group with its memberships (revoking what their group roles
 * granted). Refused (403) while another group delegates to it or it is the
 * author group of proposals or posts (domain §7.2).
 */
export class DeleteGroup {
  async execute(input: {
    meeting: Meeting
    group: MeetingGroup
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const run = async (trx: TransactionClientContract) => {
      const { meeting, group, actor } = input
      const delegating = await MeetingGroup.forOrganisation(meeting.organisationId)
        .where('delegate_to_id', group.id)
        .useTransaction(trx)
        .first()
      if (delegating) throw permissionDenied('meeting_group.delete')
      if ((await countGroupReferences(trx, { meetingId: meeting.id, groupId: group.id })) > 0) {
        throw permissionDenied('meeting_group.delete')
      }
      const memberships = await GroupMembership.forOrganisation(meeting.organisationId)
        .where('meeting_group_id', group.id)
        .useTransaction(trx)
      for (const membership of memberships)
        await new DeleteMembership().execute({ meeting, membership, actor, trx })
      await group.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'delete',
        event: 'meeting_group.deleted',
        model: 'MeetingGroup',
        objectId: group.id,
        changes: diffFields(groupAuditState(group), {}, groupTrackedFields),
      })
      publish(trx, group, actor, true)
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}

/** Bulk create from `title<TAB>groupid[<TAB>votes]` lines; all or nothing. */
export class BulkCreateGroups {
  /** The line format check, separate so callers can refuse bad input before taking a request lock. */
  static parse(text: string) {
    const parsed = parseBulkGroups(text)
    if (!parsed.ok) {
      throw new DomainError('validation.failed', `Line ${parsed.line}: ${parsed.message}`, {
        field: 'groups',
        rule: 'format',
        meta: { line: parsed.line },
      })
    }
    return parsed
  }

  async execute(input: { meeting: Meeting; text: string; actor: Actor }) {
    const parsed = BulkCreateGroups.parse(input.text)
    return db.transaction(async (trx) => {
      const taken = await takenGroupids(trx, input.meeting)
      const clash = parsed.groups.find((line) => taken.has(line.groupid))
      if (clash) {
        throw new DomainError(
          'validation.failed',
          `Line ${clash.line}: groupid "${clash.groupid}" is already used`,
          {
            field: 'groups',
            rule: 'unique',
            meta: { line: clash.line },
          }
        )
      }
      const created: MeetingGroup[] = []
      for (const line of parsed.groups) {
        created.push(
          await new CreateGroup().execute({
            meeting: input.meeting,
            fields: { title: line.title, groupid: line.groupid, votes: line.votes },
            actor: input.actor,
            trx,
          })
        )
      }
      return created
    })
  }
}

/** Bulk delete: only while the meeting is upcoming (domain §7.2). */
export class BulkDeleteGroups {
  async execute(input: { meeting: Meeting; groupIds: number[]; actor: Actor }) {
    if (input.meeting.state !== 'upcoming') {
      throw new DomainError(
        'meeting_group.bulk_delete_not_upcoming',
        'Groups can only be bulk deleted while the meeting is upcoming'
      )
    }
    return db.transaction(async (trx) => {
      const groups = await MeetingGroup.forOrganisation(input.meeting.organisationId)
        .where('meeting_id', input.meeting.id)
        .whereIn('id', input.groupIds)
        .useTransaction(trx)
      const missing = input.groupIds.findIndex((id) => !groups.some((group) => group.id === id))
      if (missing >= 0)
        throw fieldError(`groups.${missing}`, 'No such group in this meeting', 'exists')
      // Delete groups nobody in the batch delegates to first, so whole delegation chains can go.
      let remaining = [...groups]
      while (remaining.length > 0) {
        const free = remaining.filter(
          (group) => !remaining.some((other) => other.delegateToId === group.id)
        )
        const next = free.length > 0 ? free : remaining // a cycle cannot exist; DeleteGroup refuses otherwise
        for (const group of next)
          await new DeleteGroup().execute({
            meeting: input.meeting,
            group,
            actor: input.actor,
            trx,
          })
        remaining = remaining.filter((group) => !next.includes(group))
      }
      return { deleted: groups.length }
    })
  }
}
