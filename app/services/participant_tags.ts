import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import ParticipantTag from '#models/participant_tag'
import {
  GENDER_NAMESPACE,
  NAMESPACE_COMPONENTS,
  namespaceRule,
  reverseIndex,
  valuesOf,
  type NamespaceRule,
  type TagMap,
} from '#domain/participant_tags/tags'
import { channels } from '#realtime/channels'
import { publishAfterCommit } from '#realtime/publish'
import { registerSection } from '#realtime/snapshot_sections'
import { recordAudit, type Actor } from '#services/audit_log'
import { registerMeetingHook } from '#services/meeting_hooks'
import { registerGenderTagSource } from '#services/speaker_queue'

/**
 * Participant tags (domain §15.4) around the actions: which namespaces a
 * meeting offers (its enabled tag components), the shared audit + realtime of
 * a change, the `participant_tags.all` snapshot section, the gender source of
 * `gender_prio` and the removal of a leaving participant's tags.
 */

/** Namespaces of the meeting's enabled, valid tag components. */
export async function enabledNamespaces(
  meeting: Meeting,
  client?: QueryClientContract
): Promise<Map<string, NamespaceRule>> {
  const query = MeetingComponent.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .whereIn('component_name', Object.values(NAMESPACE_COMPONENTS))
    .where('enabled', true)
  if (client) query.useTransaction(client as TransactionClientContract)
  const byName = new Map((await query).map((row) => [row.componentName, row]))
  const rules = new Map<string, NamespaceRule>()
  for (const [namespace, componentName] of Object.entries(NAMESPACE_COMPONENTS)) {
    const component = byName.get(componentName)
    const rule = component ? namespaceRule(componentName, component.settings) : null
    if (rule) rules.set(namespace, rule)
  }
  return rules
}

export async function ownTags(
  meeting: Meeting,
  userId: number,
  client?: QueryClientContract,
  lock = false
) {
  const query = ParticipantTag.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('user_id', userId)
  if (client) query.useTransaction(client as TransactionClientContract)
  if (lock) query.forUpdate()
  return query.first()
}

export const tagsPayload = (meetingId: number, userId: number, tags: TagMap) => ({
  meeting: meetingId,
  user: userId,
  tags,
})

/**
 * Audit entry and `ptags.changed` (after commit) of one change of a user's row;
 * `after = null` when the row was deleted (the message then carries `{}`).
 */
export async function recordTagChange(
  trx: TransactionClientContract,
  actor: Actor,
  input: {
    meeting: Meeting
    userId: number
    rowId: number
    before: TagMap | null
    after: TagMap | null
    event: string
  }
) {
  const { meeting, userId, before, after } = input
  await recordAudit(trx, actor, {
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    action: before === null ? 'create' : after === null ? 'delete' : 'update',
    event: input.event,
    model: 'ParticipantTags',
    objectId: input.rowId,
    changes: { user: [userId, userId], tags: [before, after] },
  })
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'ptags.changed',
      data: tagsPayload(meeting.id, userId, after ?? {}),
      rid: actor.requestId ?? null,
    },
  ])
}

/** `ptags.all` of a meeting: the reverse index over every row. */
export async function allTagsIndex(meeting: Meeting) {
  const rows = await ParticipantTag.forOrganisation(meeting.organisationId).where(
    'meeting_id',
    meeting.id
  )
  return { meeting: meeting.id, tags: reverseIndex(rows) }
}

let registered = false

export function registerParticipantTags() {
  if (registered) return
  registered = true

  // gender_prio reads the `gen` namespace (domain §12.4); untagged users are absent.
  registerGenderTagSource(async (trx, meetingId, userIds) => {
    const genders = new Map<number, string[]>()
    if (userIds.length === 0) return genders
    // A plain query: the meeting id already fixes the organisation of its rows.
    const rows = (await trx
      .from('participant_tags')
      .where('meeting_id', meetingId)
      .whereIn('user_id', userIds)
      .select('user_id', 'tags')) as Array<{ user_id: number; tags: unknown }>
    for (const row of rows) {
      const tags = (typeof row.tags === 'string' ? JSON.parse(row.tags) : row.tags) as TagMap
      const values = valuesOf(tags ?? {}, GENDER_NAMESPACE)
      if (values.length > 0) genders.set(Number(row.user_id), values)
    }
    return genders
  })

  registerSection(
    'meeting',
    'participant_tags.all',
    async ({ organisation, params }) => {
      const meeting = await Meeting.findInOrganisation(organisation.id, params.meetingId)
      if (!meeting) return []
      return [{ type: 'ptags.all', data: await allTagsIndex(meeting) }]
    },
    {
      shared: true,
      // Only when the gender or the pronoun component is on (domain §17.3).
      enabled: async ({ organisation, params }) => {
        const meeting = await Meeting.findInOrganisation(organisation.id, params.meetingId)
        return !!meeting && (await enabledNamespaces(meeting)).size > 0
      },
    }
  )

  // A participant who leaves can no longer reach their tags: they go with the roles.
  registerMeetingHook('participantRemoved', async ({ trx, meeting, actor, userId }) => {
    const row = await ownTags(meeting, userId, trx)
    if (!row) return
    const before = row.tags
    await row.useTransaction(trx).delete()
    await recordTagChange(trx, actor, {
      meeting,
      userId,
      rowId: row.id,
      before,
      after: null,
      event: 'ptags.deleted',
    })
  })
}
