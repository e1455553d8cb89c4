import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting, { meetingAuditState, meetingTrackedFields } from '#models/meeting'
import { fieldError, notFound } from '#domain/errors'
import { isRegisteredErPolicy, proposalIdPolicyNames } from '#domain/meetings/er_policy_names'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { sanitizeRichText } from '#services/rich_text'
import { countOngoingPolls, runErPolicyChanged } from '#services/meeting_hooks'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { meetingPayloadFor } from '#transformers/meeting_transformer'

export interface MeetingChanges {
  title?: string
  body?: string
  public?: boolean
  visibleInLists?: boolean
  erPolicyName?: string | null
  proposalIdPolicyName?: string | null
  groupVotesActive?: boolean
  groupRolesActive?: boolean
  defaultSecretPolls?: boolean
  /** Set by dialect install/remove only (domain §20.3), never by PATCH. */
  installedDialect?: string | null
}

/**
 * Changes meeting fields (api.md §6.5 PATCH). `er_policy_name` is refused
 * while a poll of the meeting is ongoing (domain §7.1). No-op changes write
 * nothing and publish nothing.
 */
export default class UpdateMeeting {
  async execute(input: {
    meeting: Meeting
    changes: MeetingChanges
    actor: Actor
    trx?: TransactionClientContract
  }) {
    const { changes } = input
    if (changes.title !== undefined && !changes.title.trim())
      throw fieldError('title', 'The title is required', 'required')
    if (changes.erPolicyName && !isRegisteredErPolicy(changes.erPolicyName)) {
      throw fieldError(
        'er_policy_name',
        `Unknown electoral register policy "${changes.erPolicyName}"`,
        'enum'
      )
    }
    if (
      changes.proposalIdPolicyName &&
      !(proposalIdPolicyNames as readonly string[]).includes(changes.proposalIdPolicyName)
    ) {
      throw fieldError(
        'proposal_id_policy_name',
        `Unknown proposal id policy "${changes.proposalIdPolicyName}"`,
        'enum'
      )
    }
    const run = async (trx: TransactionClientContract) => {
      const meeting = await Meeting.forOrganisation(input.meeting.organisationId)
        .where('id', input.meeting.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!meeting) throw notFound('No such meeting')
      const before = meetingAuditState(meeting)
      if (changes.title !== undefined) meeting.title = changes.title.trim()
      if (changes.body !== undefined) meeting.body = sanitizeRichText(changes.body, 'relaxed')
      if (changes.public !== undefined) meeting.public = changes.public
      if (changes.visibleInLists !== undefined) meeting.visibleInLists = changes.visibleInLists
      if (changes.groupVotesActive !== undefined)
        meeting.groupVotesActive = changes.groupVotesActive
      if (changes.groupRolesActive !== undefined)
        meeting.groupRolesActive = changes.groupRolesActive
      if (changes.defaultSecretPolls !== undefined)
        meeting.defaultSecretPolls = changes.defaultSecretPolls
      if (changes.proposalIdPolicyName !== undefined)
        meeting.proposalIdPolicyName = changes.proposalIdPolicyName
      if (changes.installedDialect !== undefined)
        meeting.installedDialect = changes.installedDialect
      const erPolicyChanged =
        changes.erPolicyName !== undefined && changes.erPolicyName !== meeting.erPolicyName
      if (erPolicyChanged) {
        if ((await countOngoingPolls(trx, { meetingId: meeting.id })) > 0) {
          throw fieldError(
            'er_policy_name',
            'The policy cannot change while a poll is ongoing',
            'ongoing_polls'
          )
        }
        meeting.erPolicyName = changes.erPolicyName ?? null
      }
      const diff = diffFields(before, meetingAuditState(meeting), meetingTrackedFields)
      if (Object.keys(diff).length === 0) return meeting

      meeting.rev += 1
      await meeting.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'update',
        event: 'meeting.updated',
        model: 'Meeting',
        objectId: meeting.id,
        changes: diff,
      })
      if (erPolicyChanged) {
        await runErPolicyChanged({
          trx,
          meeting,
          actor: input.actor,
          previous: before.er_policy_name as string | null,
        })
      }
      publishAfterCommit(trx, [
        {
          channel: channels.meeting(meeting.id),
          type: 'meeting.changed',
          data: await meetingPayloadFor(meeting),
          rid: input.actor.requestId ?? null,
        },
      ])
      return meeting
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
