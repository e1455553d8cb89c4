import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting, { meetingAuditState, meetingTrackedFields } from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import MeetingDialect from '#models/meeting_dialect'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import ReactionButton, {
  reactionButtonAuditState,
  reactionButtonTrackedFields,
} from '#models/reaction_button'
import { DomainError } from '#domain/errors'
import { buttonKey, type Dialect } from '#domain/dialects/dialect'
import { DIALECT_SCRIPTS } from '#domain/dialects/registries'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { pinInstalledDialect, type AvailableDialect } from '#services/dialects'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { meetingPayload } from '#transformers/meeting_transformer'
import { reactionButtonPayload } from '#transformers/discussion_transformer'
import { CreateGroup, DeleteGroup, UpdateGroup } from '#actions/groups/change_group'
import {
  CreateGroupRole,
  DeleteGroupRole,
  UpdateGroupRole,
} from '#actions/groups/change_group_role'
import { CreateRoom } from '#actions/rooms/rooms'
import { CreateSpeakerSystem } from '#actions/speakers/systems'

async function lockMeeting(trx: TransactionClientContract, meeting: Meeting) {
  return Meeting.forOrganisation(meeting.organisationId)
    .where('id', meeting.id)
    .useTransaction(trx)
    .forUpdate()
    .firstOrFail()
}

async function saveMeeting(
  trx: TransactionClientContract,
  meeting: Meeting,
  before: Record<string, unknown>,
  event: string,
  dialect: Dialect | null,
  actor: Actor
) {
  const changes = diffFields(before, meetingAuditState(meeting), meetingTrackedFields)
  meeting.rev += 1
  await meeting.useTransaction(trx).save()
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: 'update',
    event,
    model: 'Meeting',
    objectId: meeting.id,
    changes,
  })
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'meeting.changed',
      data: meetingPayload(meeting, dialect),
      rid: actor.requestId ?? null,
    },
  ])
}

async function upsertComponent(
  trx: TransactionClientContract,
  meeting: Meeting,
  name: string,
  change: { enabled: boolean; settings?: Record<string, unknown> },
  actor: Actor
) {
  const existing = await MeetingComponent.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('component_name', name)
    .useTransaction(trx)
    .forUpdate()
    .first()
  if (!existing && !change.enabled) return
  const row =
    existing ??
    new MeetingComponent().fill({
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      componentName: name,
      enabled: false,
      settings: {},
      rev: 0,
    })
  const before = { enabled: existing?.enabled ?? null, settings: existing?.settings ?? null }
  row.enabled = change.enabled
  if (change.settings) row.settings = change.settings
  if (
    existing &&
    before.enabled === row.enabled &&
    JSON.stringify(before.settings) === JSON.stringify(row.settings)
  )
    return
  row.rev += 1
  await row.useTransaction(trx).save()
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: existing ? 'update' : 'create',
    event: existing ? 'meeting_component.updated' : 'meeting_component.created',
    model: 'MeetingComponent',
    objectId: row.id,
    changes: {
      component_name: [existing ? name : null, name],
      enabled: [before.enabled, row.enabled],
      settings: [before.settings, row.settings],
    },
  })
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'meeting_component.changed',
      data: {
        id: row.id,
        rev: row.rev,
        meeting: meeting.id,
        component_name: name,
        enabled: row.enabled,
        is_valid: true,
        settings: row.settings,
      },
      rid: actor.requestId ?? null,
    },
  ])
}

async function upsertButton(
  trx: TransactionClientContract,
  meeting: Meeting,
  definition: Dialect['reaction_buttons'][number],
  actor: Actor
) {
  const existing = await ReactionButton.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .useTransaction(trx)
  const match = existing.find((button) => buttonKey(button) === buttonKey(definition))
  const button = match ?? new ReactionButton()
  const before = match ? reactionButtonAuditState(match) : {}
  button.fill({
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    title: definition.title,
    titleKey: definition.title.toLowerCase(),
    description: definition.description,
    icon: definition.icon,
    color: definition.color,
    changeRoles: definition.change_roles,
    listRoles: definition.list_roles,
    allowedModels: definition.allowed_models,
    flagMode: definition.flag_mode,
    voteTemplate: definition.vote_template,
    onPresentation: definition.on_presentation,
    onVote: definition.on_vote,
    target: definition.target,
    order: definition.order,
    active: definition.active,
    rev: match ? match.rev + 1 : 1,
  })
  const changes = diffFields(before, reactionButtonAuditState(button), reactionButtonTrackedFields)
  if (match && Object.keys(changes).length === 0) return
  await button.useTransaction(trx).save()
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: match ? 'update' : 'create',
    event: match ? 'reaction_button.updated' : 'reaction_button.created',
    model: 'ReactionButton',
    objectId: button.id,
    changes,
  })
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'reaction_button.changed',
      data: reactionButtonPayload(button),
      rid: actor.requestId ?? null,
    },
  ])
}

async function upsertGroup(
  trx: TransactionClientContract,
  meeting: Meeting,
  group: { groupid: string; title: string | null; tags?: string[]; votes?: number | null },
  actor: Actor
) {
  const existing = await MeetingGroup.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('groupid', group.groupid)
    .useTransaction(trx)
    .first()
  const fields = {
    title: group.title ?? group.groupid,
    ...(group.tags ? { tags: group.tags } : {}),
    ...(group.votes !== undefined ? { votes: group.votes } : {}),
  }
  if (existing) {
    await new UpdateGroup().execute({ meeting, group: existing, fields, actor, trx })
  } else {
    await new CreateGroup().execute({
      meeting,
      fields: { ...fields, groupid: group.groupid },
      actor,
      trx,
    })
  }
}

/**
 * Installs a dialect on an upcoming meeting without one (domain §20.3), inside the caller's
 * transaction: meeting fields, blocked and configured components, group roles and groups
 * (upserted by role_id / groupid, through the group actions), rooms with their speaker systems,
 * reaction buttons, script groups, and the record of the installed name, version and definition.
 */
export async function installDialectIn(
  trx: TransactionClientContract,
  meetingRow: Meeting,
  available: AvailableDialect,
  actor: Actor
) {
  const { dialect } = available
  if (available.source === 'organisation') pinInstalledDialect(meetingRow.organisationId, dialect)
  const meeting = await lockMeeting(trx, meetingRow)
  if (meeting.installedDialect) {
    throw new DomainError(
      'dialect.already_installed',
      `The dialect "${meeting.installedDialect}" is already installed`,
      {
        field: 'dialect',
        params: { dialect: meeting.installedDialect ?? '' },
      }
    )
  }
  const before = meetingAuditState(meeting)
  meeting.installedDialect = dialect.name
  if (dialect.er_policy_name !== null) meeting.erPolicyName = dialect.er_policy_name
  if (dialect.proposal_id_policy_name !== null)
    meeting.proposalIdPolicyName = dialect.proposal_id_policy_name
  if (dialect.group_votes_active !== null) meeting.groupVotesActive = dialect.group_votes_active
  if (dialect.group_roles_active !== null) meeting.groupRolesActive = dialect.group_roles_active
  if (dialect.default_secret_polls !== null)
    meeting.defaultSecretPolls = dialect.default_secret_polls
  await MeetingDialect.create(
    {
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      name: dialect.name,
      version: available.version,
      definition: dialect,
      installedAt: DateTime.utc(),
    },
    { client: trx }
  )
  await saveMeeting(trx, meeting, before, 'meeting.dialect_installed', dialect, actor)

  for (const name of dialect.block_components)
    await upsertComponent(trx, meeting, name, { enabled: false }, actor)
  for (const component of dialect.configure_components) {
    await upsertComponent(
      trx,
      meeting,
      component.name,
      { enabled: true, settings: component.settings },
      actor
    )
  }

  for (const role of dialect.roles) {
    const existing = await GroupRole.forOrganisation(meeting.organisationId)
      .where('meeting_id', meeting.id)
      .where('role_id', role.role_id)
      .useTransaction(trx)
      .first()
    if (existing) {
      await new UpdateGroupRole().execute({
        meeting,
        role: existing,
        changes: { title: role.title, roles: role.roles },
        actor,
        trx,
      })
    } else {
      await new CreateGroupRole().execute({
        meeting,
        title: role.title,
        roleId: role.role_id,
        roles: role.roles,
        actor,
        trx,
      })
    }
  }
  for (const group of dialect.groups) await upsertGroup(trx, meeting, group, actor)

  for (const room of dialect.rooms) {
    const created = await new CreateRoom().execute({
      meeting,
      fields: {
        title: room.title,
        open: room.open,
        sendSls: room.send_sls,
        sendProposals: room.send_proposals,
        showTime: room.show_time,
      },
      actor,
      trx,
    })
    if (room.sls) {
      await new CreateSpeakerSystem().execute({
        room: created,
        fields: {
          methodName: room.sls.method_name as never,
          settings: room.sls.settings,
          safePositions: room.sls.safe_positions,
          showTime: room.sls.show_time,
          meetingRolesToSpeaker: room.sls.meeting_roles_to_speaker,
        },
        actor,
        trx,
      })
    }
  }
  for (const button of dialect.reaction_buttons) await upsertButton(trx, meeting, button, actor)
  for (const script of dialect.run_scripts) {
    for (const group of DIALECT_SCRIPTS[script].groups())
      await upsertGroup(trx, meeting, group, actor)
  }
  // The caller's copy (e.g. CreateMeeting's) must answer with the installed state, without being dirty.
  Object.assign(meetingRow, {
    installedDialect: meeting.installedDialect,
    erPolicyName: meeting.erPolicyName,
    proposalIdPolicyName: meeting.proposalIdPolicyName,
    groupVotesActive: meeting.groupVotesActive,
    groupRolesActive: meeting.groupRolesActive,
    defaultSecretPolls: meeting.defaultSecretPolls,
    rev: meeting.rev,
  })
  meetingRow.$original = { ...meetingRow.$attributes }
  return meeting
}

/** `POST /api/meetings/{id}/install-dialect` (one transaction). */
export class InstallDialect {
  async execute(meeting: Meeting, available: AvailableDialect, actor: Actor) {
    return db.transaction((trx) => installDialectIn(trx, meeting, available, actor))
  }
}

/**
 * `POST /api/meetings/{id}/remove-dialect {groups}` (domain §20.3): clears the dialect, resets the
 * flags and policies it set, deletes its group roles (memberships stay with `role = null`, roles
 * granted only through them are revoked — the group role action does this), deletes its groups when
 * `groups` is true. Rooms and reaction buttons stay (D59).
 */
export class RemoveDialect {
  async execute(meetingRow: Meeting, options: { groups: boolean }, actor: Actor) {
    return db.transaction(async (trx) => {
      const meeting = await lockMeeting(trx, meetingRow)
      if (!meeting.installedDialect) {
        throw new DomainError('dialect.not_installed', 'The meeting has no installed dialect', {
          field: 'dialect',
        })
      }
      const record = await MeetingDialect.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .useTransaction(trx)
        .first()
      const dialect = record?.definition ?? null
      const before = meetingAuditState(meeting)
      meeting.installedDialect = null
      if (dialect) {
        if (dialect.er_policy_name !== null) meeting.erPolicyName = null
        if (dialect.proposal_id_policy_name !== null) meeting.proposalIdPolicyName = null
        if (dialect.group_votes_active !== null) meeting.groupVotesActive = false
        if (dialect.group_roles_active !== null) meeting.groupRolesActive = false
        // Back to the column default (api.md §11.1: true).
        if (dialect.default_secret_polls !== null) meeting.defaultSecretPolls = true
        for (const role of dialect.roles) {
          const row = await GroupRole.forOrganisation(meeting.organisationId)
            .where('meeting_id', meeting.id)
            .where('role_id', role.role_id)
            .useTransaction(trx)
            .first()
          if (row) await new DeleteGroupRole().execute({ meeting, role: row, actor, trx })
        }
        if (options.groups) {
          const groupids = [
            ...dialect.groups.map((group) => group.groupid),
            ...dialect.run_scripts.flatMap(
              (script) => DIALECT_SCRIPTS[script]?.groups().map((group) => group.groupid) ?? []
            ),
          ]
          const groups = groupids.length
            ? await MeetingGroup.forOrganisation(meeting.organisationId)
                .where('meeting_id', meeting.id)
                .whereIn('groupid', groupids)
                .useTransaction(trx)
            : []
          for (const group of groups)
            await new DeleteGroup().execute({ meeting, group, actor, trx })
        }
      }
      if (record) await record.useTransaction(trx).delete()
      await saveMeeting(trx, meeting, before, 'meeting.dialect_removed', null, actor)
      Object.assign(meetingRow, meeting.$attributes)
      meetingRow.$original = { ...meetingRow.$attributes }
      return meeting
    })
  }
}

/** The installed definition of a meeting (snapshot at install time), or null. */
export async function meetingDialectDefinition(
  meeting: Meeting,
  trx?: TransactionClientContract
): Promise<Dialect | null> {
  if (!meeting.installedDialect) return null
  const query = MeetingDialect.forOrganisation(meeting.organisationId).where(
    'meeting_id',
    meeting.id
  )
  if (trx) query.useTransaction(trx)
  return (await query.first())?.definition ?? null
}
