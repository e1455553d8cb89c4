import db from '@adonisjs/lucid/services/db'
import type Meeting from '#models/meeting'
import AccessPolicy from '#models/access_policy'
import type User from '#models/user'
import { DomainError, fieldError } from '#domain/errors'
import { addRoles, meetingRoles, type MeetingRoleCode } from '#domain/permissions/roles'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import ChangeMeetingRoles, { normaliseMeetingRoles } from '#actions/meetings/change_meeting_roles'

export function accessPolicyPayload(policy: AccessPolicy) {
  return {
    id: policy.id,
    rev: policy.rev,
    meeting: policy.meetingId,
    name: policy.name,
    active: policy.active,
    roles_given: policy.rolesGiven,
  }
}

/**
 * Roles a self-join may grant, with closure; always `pa`. **Decision:** `mo` is refused: a link
 * anyone can use must not hand out the moderator role.
 */
export function rolesForPolicy(roles: string[]): MeetingRoleCode[] {
  const codes = normaliseMeetingRoles(roles, 'roles_given')
  const moderator = codes.indexOf('mo')
  if (moderator >= 0)
    throw fieldError(
      `roles_given.${moderator}`,
      'Self-join cannot grant the moderator role',
      'notIn'
    )
  return addRoles(meetingRoles, [], ['pa', ...codes])
}

const tracked = ['active', 'roles_given'] as const
const auditState = (policy: AccessPolicy) => ({
  active: policy.active,
  roles_given: policy.rolesGiven,
})

function changed(policy: AccessPolicy, actor: Actor) {
  return [
    {
      channel: channels.moderators(policy.meetingId),
      type: 'access_policy.changed',
      data: accessPolicyPayload(policy),
      rid: actor.requestId ?? null,
    },
  ]
}

/** Automatic access policies (domain §16.1): CRUD by moderators, join by organisation users. */
export default class AccessPolicies {
  async create(meeting: Meeting, input: { rolesGiven: string[]; active?: boolean }, actor: Actor) {
    const rolesGiven = rolesForPolicy(input.rolesGiven)
    return db.transaction(async (trx) => {
      const existing = await AccessPolicy.forOrganisation(meeting.organisationId)
        .where('meeting_id', meeting.id)
        .where('name', 'automatic')
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (existing) {
        throw new DomainError(
          'access_policy.exists',
          'The meeting already has an automatic access policy',
          {
            field: 'meeting',
            rule: 'unique',
            meta: { id: existing.id },
          }
        )
      }
      const policy = await AccessPolicy.create(
        {
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          name: 'automatic',
          active: input.active ?? false,
          rolesGiven,
          rev: 1,
        },
        { client: trx }
      )
      await recordAudit(trx, actor, {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        action: 'create',
        event: 'access_policy.created',
        model: 'AccessPolicy',
        objectId: policy.id,
        changes: diffFields({}, auditState(policy), tracked),
      })
      publishAfterCommit(trx, changed(policy, actor))
      return policy
    })
  }

  async update(
    policy: AccessPolicy,
    input: { rolesGiven?: string[]; active?: boolean },
    actor: Actor
  ) {
    const rolesGiven = input.rolesGiven ? rolesForPolicy(input.rolesGiven) : undefined
    return db.transaction(async (trx) => {
      const before = auditState(policy)
      if (rolesGiven) policy.rolesGiven = rolesGiven
      if (input.active !== undefined) policy.active = input.active
      const changes = diffFields(before, auditState(policy), tracked)
      if (Object.keys(changes).length === 0) return policy
      policy.rev += 1
      await policy.useTransaction(trx).save()
      await recordAudit(trx, actor, {
        organisationId: policy.organisationId,
        meetingId: policy.meetingId,
        action: 'update',
        event: 'access_policy.updated',
        model: 'AccessPolicy',
        objectId: policy.id,
        changes,
      })
      publishAfterCommit(trx, changed(policy, actor))
      return policy
    })
  }

  async delete(policy: AccessPolicy, actor: Actor) {
    await db.transaction(async (trx) => {
      await policy.useTransaction(trx).delete()
      await recordAudit(trx, actor, {
        organisationId: policy.organisationId,
        meetingId: policy.meetingId,
        action: 'delete',
        event: 'access_policy.deleted',
        model: 'AccessPolicy',
        objectId: policy.id,
        changes: diffFields(auditState(policy), {}, tracked),
      })
      publishAfterCommit(trx, [
        {
          channel: channels.moderators(policy.meetingId),
          type: 'access_policy.deleted',
          data: { id: policy.id, rev: policy.rev + 1, meeting: policy.meetingId },
          rid: actor.requestId ?? null,
        },
      ])
    })
  }

  /**
   * Self-join (domain §16.1): 422 when the policy is inactive; otherwise the roles are granted at
   * once through the meeting role action (whose hooks also auto-accept the user's open email invites).
   */
  async join(policy: AccessPolicy, meeting: Meeting, user: User, actor: Actor) {
    if (!policy.active) {
      throw new DomainError('access_policy.inactive', 'Joining this meeting is not open')
    }
    return db.transaction(async (trx) => {
      const [result] = await new ChangeMeetingRoles().execute({
        meeting,
        userIds: [user.id],
        roles: policy.rolesGiven,
        mode: 'add',
        actor,
        trx,
        allowModeratorChange: false,
      })
      return { meeting: meeting.id, assigned: result.assigned }
    })
  }
}
