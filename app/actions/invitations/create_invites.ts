import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import type Organisation from '#models/organisation'
import MeetingInvite from '#models/meeting_invite'
import MeetingGroupAnnotation from '#models/meeting_group_annotation'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import MeetingRole from '#models/meeting_role'
import User from '#models/user'
import MeetingDialect from '#models/meeting_dialect'
import { DomainError, fieldError } from '#domain/errors'
import {
  createIdentityAdapters,
  IDENTITY_TYPES,
  type IdentityType,
  type UserData,
} from '#domain/invitations/identity'
import {
  matchExistingInvites,
  moderatorDowngrades,
  normaliseInviteRows,
  syncedRoles,
  type ExistingInvite,
  type InviteRow,
  type RawInviteRow,
} from '#domain/invitations/pipeline'
import type { MeetingRoleCode } from '#domain/permissions/roles'
import { recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { changeRolesOfUser } from '#actions/meetings/change_meeting_roles'
import {
  LINK_VALIDITY_DAYS,
  announceMatches,
  applyMembership,
  inviteChanged,
  newInviteToken,
} from './invite_effects.js'

export interface CreateInvitesInput {
  organisation: Organisation
  meeting: Meeting
  rows: RawInviteRow[]
  /** roles for rows without a `roles` value */
  roles: string[]
  dryrun?: boolean
  /** also issue invitation links (api.md §11.5) for the open invites of this request */
  links?: boolean
  /** file line of each row, for messages about uploaded files */
  lines?: number[]
  /** field prefix of each row, e.g. `data.3` (JSON) or `file.line.4` (upload) */
  fieldPrefix?: string
  actor: Actor
}

interface Counts {
  added: number
  changed: number
  existed: number
}

export interface CreateInvitesResult {
  invites: Counts
  annotations: Array<{ name: string } & Counts>
  dryrun: boolean
  /** tokens of issued links, shown once: `[{invite, token, expires}]` (only with `links`) */
  links?: Array<{ invite: number | null; token: string; expires: string }>
}

class DryRunRollback extends Error {
  constructor(readonly result: CreateInvitesResult) {
    super('dry run')
  }
}

/** Identity types offered by the organisation (`scope`); all when the scope names none of them. */
export function allowedIdentityTypes(organisation: Organisation): IdentityType[] {
  const scope = organisation.scope ?? []
  const offered = IDENTITY_TYPES.filter((type) => scope.includes(type))
  return offered.length ? [...offered] : [...IDENTITY_TYPES]
}

export async function installedBlockRoles(
  meeting: Meeting,
  trx?: TransactionClientContract
): Promise<MeetingRoleCode[]> {
  if (!meeting.installedDialect) return []
  const query = MeetingDialect.forOrganisation(meeting.organisationId).where(
    'meeting_id',
    meeting.id
  )
  if (trx) query.useTransaction(trx)
  const row = await query.first()
  return row?.definition.block_roles ?? []
}

/**
 * The invite creation pipeline (domain §16.3) for JSON rows and uploaded tables alike: checks,
 * normalisation, intersection, database checks, partial conflicts, moderator lock-out, upsert.
 * One transaction; a dry run rolls it back and reports what would happen.
 */
export default class CreateInvites {
  async execute(input: CreateInvitesInput): Promise<CreateInvitesResult> {
    const { meeting } = input
    const prefix = input.fieldPrefix ?? 'data'
    const rows = normaliseInviteRows(input.rows, {
      defaultRoles: input.roles,
      adapters: createIdentityAdapters(DateTime.utc().year),
      allowedTypes: allowedIdentityTypes(input.organisation),
      blockRoles: await installedBlockRoles(meeting),
      labelOf: input.lines ? (index) => input.lines![index] : undefined,
      fieldOf: (index) => `${prefix}.${input.lines ? input.lines[index] : index}`,
    })
    const fieldOf = (row: InviteRow) => `${prefix}.${input.lines ? row.label : row.index}`

    try {
      return await db.transaction(async (trx) => {
        const result = await this.upsert(trx, input, rows, fieldOf)
        if (input.dryrun) throw new DryRunRollback(result)
        return result
      })
    } catch (error) {
      if (error instanceof DryRunRollback)
        return { ...error.result, dryrun: true, links: undefined }
      throw error
    }
  }

  private async upsert(
    trx: TransactionClientContract,
    input: CreateInvitesInput,
    rows: InviteRow[],
    fieldOf: (row: InviteRow) => string
  ): Promise<CreateInvitesResult> {
    const { meeting, actor } = input
    const organisationId = meeting.organisationId

    // Step 4: referenced groups and group roles exist in this meeting.
    const groupIds = [
      ...new Set(rows.map((row) => row.group).filter((g): g is string => g !== null)),
    ]
    const roleIds = [
      ...new Set(rows.map((row) => row.grouprole).filter((g): g is string => g !== null)),
    ]
    const groups = groupIds.length
      ? await MeetingGroup.forOrganisation(organisationId)
          .where('meeting_id', meeting.id)
          .whereIn('groupid', groupIds)
          .useTransaction(trx)
      : []
    const groupRoles = roleIds.length
      ? await GroupRole.forOrganisation(organisationId)
          .where('meeting_id', meeting.id)
          .whereIn('role_id', roleIds)
          .useTransaction(trx)
      : []
    for (const row of rows) {
      if (row.group !== null && !groups.some((group) => group.groupid === row.group)) {
        throw fieldError(
          `${fieldOf(row)}.group`,
          `No group "${row.group}" in this meeting`,
          'exists'
        )
      }
      if (row.grouprole !== null && !groupRoles.some((role) => role.roleId === row.grouprole)) {
        throw fieldError(
          `${fieldOf(row)}.grouprole`,
          `No group role "${row.grouprole}" in this meeting`,
          'exists'
        )
      }
    }

    // Step 5: match existing invites by any identity value.
    const existingRows = await MeetingInvite.forOrganisation(organisationId)
      .where('meeting_id', meeting.id)
      .where((any) => {
        for (const type of IDENTITY_TYPES) {
          const values = rows
            .map((row) => row.userData[type])
            .filter((v): v is string => v !== undefined)
          if (values.length) any.orWhereIn(columnOf(type), values)
        }
      })
      .useTransaction(trx)
      .forUpdate()
    const existing: ExistingInvite[] = existingRows.map((invite) => ({
      id: invite.id,
      userData: invite.userData,
      roles: invite.roles,
      state: invite.state,
      usedBy: invite.usedBy,
    }))
    const matches = matchExistingInvites(rows, existing)
    const existingById = new Map(existingRows.map((invite) => [invite.id, invite]))
    const annotatedBefore = new Set(
      existingRows.length
        ? (
            await MeetingGroupAnnotation.forOrganisation(organisationId)
              .whereIn(
                'meeting_invite_id',
                existingRows.map((invite) => invite.id)
              )
              .select('meeting_invite_id')
              .useTransaction(trx)
          ).map((annotation) => annotation.meetingInviteId)
        : []
    )

    // Step 6: moderator lock-out protection.
    const usedBy = existing
      .filter((invite) => invite.state === 'accepted' && invite.usedBy !== null)
      .map((i) => i.usedBy!)
    const roleRows = usedBy.length
      ? await MeetingRole.forOrganisation(organisationId)
          .where('meeting_id', meeting.id)
          .whereIn('user_id', usedBy)
          .useTransaction(trx)
      : []
    const current = new Map(roleRows.map((row) => [row.userId, row.assigned]))
    const downgraded = moderatorDowngrades(matches, current)
    if (downgraded.length) {
      const users = await User.forOrganisation(organisationId)
        .whereIn('id', downgraded)
        .useTransaction(trx)
      const userids = users.map((user) => user.userid ?? user.email ?? String(user.id))
      throw new DomainError(
        'invites.moderator_downgrade',
        `This would remove the moderator role of ${userids.join(', ')}`,
        { meta: { userids } }
      )
    }

    // Step 7: upsert.
    const blockRoles = await installedBlockRoles(meeting, trx)
    const counts: Counts = { added: 0, changed: 0, existed: 0 }
    const annotationCounts: Record<'group' | 'grouprole', Counts> = {
      group: { added: 0, changed: 0, existed: 0 },
      grouprole: { added: 0, changed: 0, existed: 0 },
    }
    const links: NonNullable<CreateInvitesResult['links']> = []
    const emails: string[] = []
    const messages = []

    for (const match of matches) {
      const { row } = match
      let invite: MeetingInvite
      let changedInvite = false
      if (match.kind === 'new') {
        invite = new MeetingInvite()
        invite.fill({
          organisationId,
          meetingId: meeting.id,
          roles: row.roles,
          state: 'open',
          usedBy: null,
          rev: 1,
        })
        invite.userData = row.userData
        invite.useTransaction(trx)
        await invite.save()
        counts.added++
        await recordAudit(trx, actor, {
          organisationId,
          meetingId: meeting.id,
          action: 'create',
          event: 'meeting_invite.created',
          model: 'MeetingInvite',
          objectId: invite.id,
          changes: {
            roles: [null, invite.roles],
            state: [null, 'open'],
            identity_types: [null, Object.keys(row.userData)],
          },
        })
      } else {
        invite = existingById.get(match.invite.id)!
        const before = {
          roles: invite.roles,
          state: invite.state,
          userData: invite.userData as UserData,
        }
        const reopen = ['revoked', 'rejected', 'expired'].includes(invite.state)
        if (reopen) {
          // D50: re-importing a closed invite re-opens it (an audited data reset, not an event).
          invite.state = 'open'
          invite.usedBy = null
          invite.usedAt = null
        }
        invite.roles = row.roles
        invite.userData = match.userData
        changedInvite =
          reopen ||
          before.roles.join() !== row.roles.join() ||
          JSON.stringify(before.userData) !== JSON.stringify(match.userData)
        if (changedInvite) {
          invite.rev += 1
          await invite.useTransaction(trx).save()
          counts.changed++
          await recordAudit(trx, actor, {
            organisationId,
            meetingId: meeting.id,
            action: 'update',
            event: reopen ? 'meeting_invite.reopened' : 'meeting_invite.updated',
            model: 'MeetingInvite',
            objectId: invite.id,
            changes: {
              roles: [before.roles, invite.roles],
              state: [before.state, invite.state],
              identity_types: [Object.keys(before.userData), Object.keys(match.userData)],
            },
          })
        } else {
          counts.existed++
        }
        // D51: an accepted invite's member gets the invite roles (block_roles untouched).
        if (invite.state === 'accepted' && invite.usedBy !== null) {
          const now = current.get(invite.usedBy) ?? []
          const target = syncedRoles(now, row.roles, blockRoles)
          if (now.join() !== target.join()) {
            await changeRolesOfUser(trx, meeting, invite.usedBy, target, 'set', actor)
          }
        }
      }

      // Annotations: applied at once for accepted invites, stored for the others.
      if (row.group !== null) {
        const group = groups.find((candidate) => candidate.groupid === row.group)!
        const groupRole =
          row.grouprole !== null ? groupRoles.find((role) => role.roleId === row.grouprole)! : null
        if (invite.state === 'accepted' && invite.usedBy !== null) {
          await applyMembership(trx, meeting, invite.usedBy, group.id, groupRole?.id ?? null, actor)
          annotationCounts.group.existed++
        } else {
          await this.annotate(trx, invite, group.id, groupRole?.id ?? null, annotationCounts, actor)
        }
      }

      if (input.links && invite.state === 'open') {
        const { token, hash } = newInviteToken()
        invite.tokenHash = hash
        invite.expires = DateTime.utc().plus({ days: LINK_VALIDITY_DAYS })
        if (!changedInvite && match.kind !== 'new') invite.rev += 1
        await invite.useTransaction(trx).save()
        links.push({ invite: invite.id, token, expires: invite.expires.toISO()! })
      }
      if (match.kind === 'new' || changedInvite || row.group !== null || input.links) {
        // A new invite has annotations only from this row; existing ones were looked up once.
        const annotated = row.group !== null || annotatedBefore.has(invite.id)
        messages.push(inviteChanged(invite, annotated, actor))
        if (invite.email) emails.push(invite.email)
      }
    }
    publishAfterCommit(trx, messages)
    await announceMatches(trx, organisationId, emails, actor)

    const annotations = (['group', 'grouprole'] as const)
      .filter((name) => rows.some((row) => row[name] !== null))
      .map((name) => ({ name, ...annotationCounts[name] }))
    return { invites: counts, annotations, dryrun: false, ...(input.links ? { links } : {}) }
  }

  private async annotate(
    trx: TransactionClientContract,
    invite: MeetingInvite,
    meetingGroupId: number,
    groupRoleId: number | null,
    counts: Record<'group' | 'grouprole', Counts>,
    actor: Actor
  ) {
    const existing = await MeetingGroupAnnotation.forOrganisation(invite.organisationId)
      .where('meeting_invite_id', invite.id)
      .where('meeting_group_id', meetingGroupId)
      .useTransaction(trx)
      .first()
    if (!existing) {
      const created = await MeetingGroupAnnotation.create(
        {
          organisationId: invite.organisationId,
          meetingInviteId: invite.id,
          meetingGroupId,
          groupRoleId,
        },
        { client: trx }
      )
      counts.group.added++
      if (groupRoleId !== null) counts.grouprole.added++
      await recordAudit(trx, actor, {
        organisationId: invite.organisationId,
        meetingId: invite.meetingId,
        action: 'create',
        event: 'meeting_group_annotation.created',
        model: 'MeetingGroupAnnotation',
        objectId: created.id,
        changes: {
          invite: [null, invite.id],
          meeting_group: [null, meetingGroupId],
          role: [null, groupRoleId],
        },
      })
      return
    }
    counts.group.existed++
    if (existing.groupRoleId === groupRoleId) {
      if (groupRoleId !== null) counts.grouprole.existed++
      return
    }
    const before = existing.groupRoleId
    existing.groupRoleId = groupRoleId
    await existing.useTransaction(trx).save()
    counts.grouprole.changed++
    await recordAudit(trx, actor, {
      organisationId: invite.organisationId,
      meetingId: invite.meetingId,
      action: 'update',
      event: 'meeting_group_annotation.updated',
      model: 'MeetingGroupAnnotation',
      objectId: existing.id,
      changes: { role: [before, groupRoleId] },
    })
  }
}

function columnOf(type: IdentityType) {
  return type === 'swedish_ssn' ? 'swedish_ssn' : type === 'member_id' ? 'member_id' : 'email'
}
