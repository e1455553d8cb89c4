import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Organisation from '#models/organisation'
import Meeting, { meetingAuditState, meetingTrackedFields } from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import type User from '#models/user'
import { fieldError } from '#domain/errors'
import { isRegisteredErPolicy, proposalIdPolicyNames } from '#domain/meetings/er_policy_names'
import { isMeetingComponent, validateComponentSettings } from '#domain/components/registry'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { meetingPayloadFor } from '#transformers/meeting_transformer'
import { changeRolesOfUser } from '#actions/meetings/change_meeting_roles'

export interface ComponentInput {
  name: string
  settings?: Record<string, unknown>
  enabled?: boolean
}

export interface CreateMeetingInput {
  organisation: Organisation
  title: string
  body?: string
  public?: boolean
  visibleInLists?: boolean
  groupVotesActive?: boolean
  groupRolesActive?: boolean
  defaultSecretPolls?: boolean
  erPolicyName?: string | null
  proposalIdPolicyName?: string | null
  /** Name of the dialect being installed (only the name is stored, domain §7.1). */
  dialect?: string | null
  /** Meeting components to create (dialect `configure_components`, or defaults). */
  components?: ComponentInput[]
  /** The creator receives `mo` (and so `pa`). Null for operator/CLI creation without a moderator. */
  creator: User | null
  actor: Actor
  /**
   * Runs inside the same transaction after the meeting, its components and the
   * creator's roles exist: dialect installation (group roles, groups, reaction
   * buttons, poll methods), rooms and speaker systems. A throw rolls everything back.
   */
  within?: (trx: TransactionClientContract, meeting: Meeting) => Promise<void>
  /** Use the caller's transaction instead of opening one (e.g. meeting import/clone). */
  trx?: TransactionClientContract
}

/**
 * Creates a meeting (domain §7.1) in one transaction with its audit entry;
 * `meeting.changed` is published after commit.
 */
export default class CreateMeeting {
  async execute(input: CreateMeetingInput): Promise<Meeting> {
    const title = input.title.trim()
    if (!title) throw fieldError('title', 'The meeting needs a title', 'required')
    if (title.length > 100)
      throw fieldError('title', 'The title may have at most 100 characters', 'maxLength')
    if (input.erPolicyName && !isRegisteredErPolicy(input.erPolicyName)) {
      throw fieldError(
        'er_policy_name',
        `Unknown electoral register policy "${input.erPolicyName}"`,
        'enum'
      )
    }
    if (
      input.proposalIdPolicyName &&
      !(proposalIdPolicyNames as readonly string[]).includes(input.proposalIdPolicyName)
    ) {
      throw fieldError(
        'proposal_id_policy_name',
        `Unknown proposal id policy "${input.proposalIdPolicyName}"`,
        'enum'
      )
    }
    for (const [index, component] of (input.components ?? []).entries()) {
      if (!isMeetingComponent(component.name)) {
        throw fieldError(
          `components.${index}.name`,
          `Unknown meeting component "${component.name}"`,
          'enum'
        )
      }
      // Same schema check as the component API and dialect installation (domain §15.1).
      const issue = validateComponentSettings(component.name, component.settings).issues[0]
      if (issue) {
        const field = `components.${index}.settings${issue.path ? `.${issue.path}` : ''}`
        throw fieldError(field, `${field}: ${issue.message}`)
      }
    }
    if (input.creator && input.creator.organisationId !== input.organisation.id) {
      throw fieldError('creator', 'The creator must belong to the organisation', 'exists')
    }

    const run = async (trx: TransactionClientContract) => {
      const meeting = await Meeting.create(
        {
          organisationId: input.organisation.id,
          title,
          body: input.body ?? '',
          state: 'upcoming',
          startTime: null,
          endTime: null,
          public: input.public ?? false,
          visibleInLists: input.visibleInLists ?? false,
          groupVotesActive: input.groupVotesActive ?? false,
          groupRolesActive: input.groupRolesActive ?? false,
          defaultSecretPolls: input.defaultSecretPolls ?? true,
          erPolicyName: input.erPolicyName ?? null,
          proposalIdPolicyName: input.proposalIdPolicyName ?? null,
          installedDialect: input.dialect ?? null,
          archiveAfter: null,
          deleteRequested: null,
          preDeleteState: null,
          createdById: input.creator?.id ?? null,
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, input.actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'create',
        event: 'meeting.created',
        model: 'Meeting',
        objectId: meeting.id,
        changes: diffFields({}, meetingAuditState(meeting), meetingTrackedFields),
      })
      for (const component of input.components ?? []) {
        const row = await MeetingComponent.create(
          {
            organisationId: meeting.organisationId,
            meetingId: meeting.id,
            componentName: component.name,
            enabled: component.enabled ?? true,
            settings: validateComponentSettings(component.name, component.settings).settings,
            rev: 1,
          },
          { client: trx }
        )
        await recordAudit(trx, input.actor, {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          action: 'create',
          event: 'meeting_component.created',
          model: 'MeetingComponent',
          objectId: row.id,
          changes: {
            component_name: [null, row.componentName],
            settings: [null, row.settings],
            enabled: [null, row.enabled],
            meeting: [null, meeting.id],
          },
        })
      }
      if (input.creator) {
        await changeRolesOfUser(trx, meeting, input.creator.id, ['mo'], 'add', input.actor)
      }
      if (input.within) await input.within(trx, meeting)
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
