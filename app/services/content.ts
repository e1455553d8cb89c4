import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import AgendaItem from '#models/agenda_item'
import Meeting from '#models/meeting'
import MeetingGroup from '#models/meeting_group'
import MeetingRole from '#models/meeting_role'
import GroupMembership from '#models/group_membership'
import MeetingComponent from '#models/meeting_component'
import { fieldError } from '#domain/errors'
import type { ContentItemFacts } from '#domain/permissions/proposals'
import { collectTags, excerpt, extractMentionIds, htmlToText } from '#domain/rich_text/content'
import { sanitizeRichText } from '#services/rich_text'
import { publishAfterCommit } from '#realtime/publish'
import { agendaItemMessages } from '#transformers/agenda_item_transformer'

/**
 * Shared plumbing for participant content (proposals, amendments, discussion
 * posts): item facts, authorship rules, sanitising with tag and mention
 * extraction, and the agenda item's `related_modified` bump.
 */

export function contentItemFacts(item: AgendaItem): ContentItemFacts {
  return {
    state: item.state,
    blockProposals: item.blockProposals,
    blockDiscussion: item.blockDiscussion,
  }
}

export async function itemWithMeeting(
  organisationId: number,
  itemId: number,
  client?: QueryClientContract
) {
  const query = AgendaItem.forOrganisation(organisationId).where('id', itemId)
  if (client?.isTransaction) query.useTransaction(client as TransactionClientContract)
  const item = await query.first()
  if (!item) return null
  const meetingQuery = Meeting.forOrganisation(organisationId).where('id', item.meetingId)
  if (client?.isTransaction) meetingQuery.useTransaction(client as TransactionClientContract)
  const meeting = await meetingQuery.firstOrFail()
  return { item, meeting }
}

/** Whether `userId` is a member of the group. */
export async function isGroupMember(
  organisationId: number,
  groupId: number | null,
  userId: number | null | undefined,
  client?: QueryClientContract
) {
  if (!groupId || !userId) return false
  const query = GroupMembership.forOrganisation(organisationId)
    .where('meeting_group_id', groupId)
    .where('user_id', userId)
  if (client?.isTransaction) query.useTransaction(client as TransactionClientContract)
  return !!(await query.first())
}

/** The subset of `userIds` that participate in the meeting (hold any meeting role). */
export async function participantIds(
  meeting: Meeting,
  userIds: number[],
  client?: QueryClientContract
): Promise<number[]> {
  if (userIds.length === 0) return []
  const query = MeetingRole.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .whereIn('user_id', userIds)
  if (client?.isTransaction) query.useTransaction(client as TransactionClientContract)
  const rows = await query
  const present = new Set(rows.filter((row) => row.assigned.length > 0).map((row) => row.userId))
  return userIds.filter((id) => present.has(id))
}

export interface AuthorshipInput {
  /** Requested author (moderators only may name someone else). */
  author?: number | null
  meetingGroup?: number | null
  asGroup?: boolean
}

export interface Authorship {
  authorId: number | null
  meetingGroupId: number | null
  asGroup: boolean
  group: MeetingGroup | null
}

/**
 * Author encodings of domain §9.1 / §14.1: personal, on behalf of a group
 * (`as_group`, only when the group has `post_as`) or as a member of a group.
 * Non-moderators are always the author themselves and must be members of the
 * group; moderators may name any participant and any group of the meeting.
 */
export async function resolveAuthorship(
  meeting: Meeting,
  caller: { id: number },
  callerIsModerator: boolean,
  input: AuthorshipInput,
  current?: { authorId: number | null; meetingGroupId: number | null; asGroup: boolean },
  client?: QueryClientContract
): Promise<Authorship> {
  let authorId =
    input.author === undefined ? (current ? current.authorId : caller.id) : input.author
  if (!callerIsModerator && authorId !== caller.id) {
    throw fieldError('author', 'Only moderators may set another author', 'forbidden')
  }
  if (authorId !== null && authorId !== caller.id) {
    const [participant] = await participantIds(meeting, [authorId], client)
    if (participant === undefined)
      throw fieldError('author', 'The author must be a participant of the meeting', 'exists')
  }
  if (authorId === undefined) authorId = caller.id

  const groupId =
    input.meetingGroup === undefined ? (current?.meetingGroupId ?? null) : input.meetingGroup
  let group: MeetingGroup | null = null
  if (groupId !== null) {
    const groupQuery = MeetingGroup.forOrganisation(meeting.organisationId)
      .where('id', groupId)
      .where('meeting_id', meeting.id)
    if (client?.isTransaction) groupQuery.useTransaction(client as TransactionClientContract)
    group = await groupQuery.first()
    if (!group) throw fieldError('meeting_group', 'No such group in this meeting', 'exists')
    if (
      !callerIsModerator &&
      !(await isGroupMember(meeting.organisationId, group.id, authorId, client))
    ) {
      throw fieldError('meeting_group', 'You are not a member of this group', 'membership')
    }
  }
  let asGroup = input.asGroup === undefined ? (current?.asGroup ?? false) : input.asGroup
  if (!group) {
    asGroup = false // cleared when there is no group
  } else if (asGroup && !group.postAs) {
    throw fieldError('as_group', 'This group does not allow posting as the group', 'post_as')
  }
  return { authorId, meetingGroupId: group?.id ?? null, asGroup, group }
}

export interface RichContent {
  body: string
  text: string
  title: string
  tags: string[]
  mentions: number[]
}

/**
 * Sanitises a participant body (strict profile, domain §4.4) and derives
 * hashtags (plus extra tags), mentions (participants only) and the D19 title.
 */
export async function richContent(
  meeting: Meeting,
  rawBody: string,
  extraTags: readonly string[],
  client?: QueryClientContract
) {
  const body = sanitizeRichText(rawBody, 'strict')
  const text = htmlToText(body)
  if (text.trim() === '') throw fieldError('body', 'The text must not be empty', 'required')
  return {
    body,
    text,
    title: excerpt(text),
    tags: collectTags(body, extraTags),
    mentions: await participantIds(meeting, extractMentionIds(body), client),
  } satisfies RichContent
}

/** Appends tags keeping order and uniqueness. */
export function withTags(
  tags: readonly string[],
  ...more: Array<string | null | undefined>
): string[] {
  const result = [...tags]
  for (const tag of more) {
    const normal = tag?.toLowerCase()
    if (normal && !result.includes(normal)) result.push(normal)
  }
  return result
}

/** Tags a client sent earlier: the stored tags minus those the old body produced and the derived ones. */
export function extraTagsOf(
  stored: readonly string[],
  oldBody: string,
  derived: readonly string[]
): string[] {
  const fromBody = new Set([...collectTags(oldBody), ...derived.map((tag) => tag.toLowerCase())])
  return stored.filter((tag) => !fromBody.has(tag))
}

export async function notesEnabled(meeting: Meeting): Promise<boolean> {
  const row = await MeetingComponent.forOrganisation(meeting.organisationId)
    .where('meeting_id', meeting.id)
    .where('component_name', 'notes')
    .first()
  return !!row?.enabled
}

/*
 | related_modified (domain §8.1): written in the content's transaction; the
 | `agenda_item.changed` push is debounced by 3 seconds per item (trailing),
 | so a burst of posts produces one message with the newest timestamp.
 */
const DEBOUNCE_MS = 3000
const pending = new Map<number, NodeJS.Timeout>()

function schedulePush(organisationId: number, itemId: number, rid: string | null) {
  const existing = pending.get(itemId)
  if (existing) clearTimeout(existing)
  const timer = setTimeout(async () => {
    pending.delete(itemId)
    try {
      await db.transaction(async (trx) => {
        const item = await AgendaItem.forOrganisation(organisationId)
          .where('id', itemId)
          .useTransaction(trx)
          .first()
        if (item) publishAfterCommit(trx, agendaItemMessages(item, null, rid))
      })
    } catch {
      // The item (or the whole test database) may be gone; a missed hint is harmless.
    }
  }, DEBOUNCE_MS)
  timer.unref()
  pending.set(itemId, timer)
}

/** Sets the item's `related_modified` to now (or to `at`) inside `trx`. */
export async function touchAgendaItem(
  trx: TransactionClientContract,
  item: AgendaItem,
  rid: string | null,
  at: DateTime | null = DateTime.utc()
) {
  const row = await AgendaItem.forOrganisation(item.organisationId)
    .where('id', item.id)
    .useTransaction(trx)
    .forUpdate()
    .first()
  if (!row) return
  row.relatedModified = at
  row.rev += 1
  await row.useTransaction(trx).save()
  trx.after('commit', async () => schedulePush(item.organisationId, item.id, rid))
}

/** After deletions: the newest remaining content's timestamp (domain §8.1). */
export async function resetAgendaItemModified(
  trx: TransactionClientContract,
  item: AgendaItem,
  rid: string | null
) {
  const newest = async (table: string) => {
    const row = await trx
      .from(table)
      .where('agenda_item_id', item.id)
      .max('updated_at as newest')
      .first()
    return row?.newest ? DateTime.fromJSDate(new Date(row.newest)) : null
  }
  const candidates = [await newest('proposals'), await newest('discussion_posts')].filter(
    (value) => value !== null
  ) as DateTime[]
  const at = candidates.length ? candidates.reduce((a, b) => (a > b ? a : b)) : null
  await touchAgendaItem(trx, item, rid, at)
}
