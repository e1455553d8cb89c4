import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Meeting from '#models/meeting'
import type Organisation from '#models/organisation'
import type User from '#models/user'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import ProposalVersion from '#models/proposal_version'
import TextDocument from '#models/text_document'
import TextParagraph from '#models/text_paragraph'
import DiscussionPost from '#models/discussion_post'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import GroupMembership from '#models/group_membership'
import ReactionButton from '#models/reaction_button'
import Reaction from '#models/reaction'
import Note from '#models/note'
import UserModel from '#models/user'
import MeetingRole from '#models/meeting_role'
import { DomainError } from '#domain/errors'
import { excerpt, htmlToText } from '#domain/rich_text/content'
import { nextProposalId, resolveProposalIdPolicy } from '#domain/proposals/id_policies'
import {
  MAX_STRUCTURE_BYTES,
  defaultImportOptions,
  parseStructure,
  signatureValid,
  structureCounts,
  type ExportOptions,
  type ImportOptions,
  type StructureFile,
  type UserRef,
} from '#domain/meeting_structure/format'
import { recordAudit, type Actor } from '#services/audit_log'
import { sanitizeRichText } from '#services/rich_text'
import { buildStructure, exportSecret } from '#services/meeting_structure'
import { publishAfterCommit } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { meetingPayload } from '#transformers/meeting_transformer'
import CreateMeeting from '#actions/meetings/create_meeting'
import { changeRolesOfUser } from '#actions/meetings/change_meeting_roles'
import { CreateGroup } from '#actions/groups/change_group'
import { CreateGroupRole } from '#actions/groups/change_group_role'

export interface ImportProblem {
  key: string
  message: string
}

/** Parses an uploaded file: 413 above 2 MB, 422 `structure.invalid` with the issues (line, key). */
export function readStructure(source: string): StructureFile {
  if (Buffer.byteLength(source, 'utf8') > MAX_STRUCTURE_BYTES) {
    throw new DomainError('payload.too_large', 'A meeting structure file may be at most 2 MB', {
      field: 'file',
    })
  }
  const parsed = parseStructure(source)
  if (!parsed.ok) {
    throw new DomainError('structure.invalid', 'The file is not a valid meeting structure', {
      field: 'file',
      meta: { issues: parsed.issues },
    })
  }
  return parsed.file
}

/** Users of the file resolved in the target organisation (email first, then userid). */
async function resolveUsers(
  file: StructureFile,
  organisationId: number,
  trx?: TransactionClientContract
) {
  const refs: Array<[string, UserRef]> = []
  const add = (key: string, user: UserRef | null) => user && refs.push([key, user])
  file.groups.forEach((g, i) =>
    g.memberships.forEach((m, j) => add(`groups.${i}.memberships.${j}.user`, m.user))
  )
  file.agenda_items.forEach((item, i) => {
    item.proposals.forEach((p, k) => add(`agenda_items.${i}.proposals.${k}.author`, p.author))
    item.discussion_posts.forEach((p, k) =>
      add(`agenda_items.${i}.discussion_posts.${k}.author`, p.author)
    )
    item.text_documents.forEach((d, k) =>
      add(`agenda_items.${i}.text_documents.${k}.author`, d.author)
    )
  })
  file.reactions.forEach((r, i) => add(`reactions.${i}.user`, r.user))
  file.notes.forEach((n, i) => add(`notes.${i}.user`, n.user))
  const emails = [
    ...new Set(refs.map(([, u]) => u.email?.toLowerCase()).filter((e): e is string => !!e)),
  ]
  const userids = [...new Set(refs.map(([, u]) => u.userid).filter((e): e is string => !!e))]
  const query = UserModel.forOrganisation(organisationId).where((any) => {
    if (emails.length) any.orWhereIn('email', emails)
    if (userids.length) any.orWhereIn('userid', userids)
    if (!emails.length && !userids.length) any.whereRaw('1 = 0')
  })
  if (trx) query.useTransaction(trx)
  const users = await query
  const find = (ref: UserRef | null): User | null => {
    if (!ref) return null
    return (
      users.find((u) => ref.email && u.email === ref.email.toLowerCase()) ??
      users.find((u) => ref.userid && u.userid === ref.userid) ??
      null
    )
  }
  const problems: ImportProblem[] = refs
    .filter(([, ref]) => !find(ref))
    .map(([key, ref]) => ({
      key,
      message: `No user ${ref.email ?? ref.userid ?? '(blank)'} in this organisation`,
    }))
  return { find, problems }
}

/** `POST /api/meeting-structure/preview`: counts and problems, no writes. */
export async function previewStructure(organisation: Organisation, file: StructureFile) {
  const { problems } = await resolveUsers(file, organisation.id)
  return {
    counts: structureCounts(file),
    problems,
    signature_valid: signatureValid(file, exportSecret()),
  }
}

type Created = ReturnType<typeof structureCounts>

/**
 * Imports a structure into a meeting inside `trx` (domain §21): placeholders are remapped, rich
 * text is sanitised again, states are fitted to the meeting (§7.5), every created row is audited,
 * and one `meeting.changed` tells clients to reload.
 */
export async function importStructureIn(
  trx: TransactionClientContract,
  meeting: Meeting,
  file: StructureFile,
  partialOptions: Partial<ImportOptions>,
  actor: Actor
): Promise<{ created: Created; problems: ImportProblem[] }> {
  const options = { ...defaultImportOptions, ...partialOptions }
  const org = meeting.organisationId
  const { find, problems } = await resolveUsers(file, org, trx)
  if (problems.length && options.missing_users === 'error') {
    throw new DomainError(
      'structure.missing_users',
      'Users of the file do not exist in this organisation',
      { meta: { problems } }
    )
  }
  const created: Created = {
    agenda_items: 0,
    proposals: 0,
    text_documents: 0,
    discussion_posts: 0,
    groups: 0,
    group_roles: 0,
    memberships: 0,
    reaction_buttons: 0,
    reactions: 0,
    notes: 0,
  }
  const audit = (
    model: string,
    event: string,
    objectId: number,
    changes: Record<string, [unknown, unknown]> = {}
  ) =>
    recordAudit(trx, actor, {
      organisationId: org,
      meetingId: meeting.id,
      action: 'create',
      event,
      model,
      objectId,
      changes: { ...changes, imported: [null, true] },
    })

  const participants = new Set(
    (
      await MeetingRole.forOrganisation(org).where('meeting_id', meeting.id).useTransaction(trx)
    ).map((row) => row.userId)
  )
  const ensureParticipant = async (user: User | null) => {
    if (!user || participants.has(user.id) || !options.add_participants) return
    await changeRolesOfUser(trx, meeting, user.id, ['pa'], 'add', actor)
    participants.add(user.id)
  }

  // Group roles and groups (through the group actions), then memberships.
  const roleIds = new Map<string, number>()
  for (const role of file.group_roles) {
    const existing = await GroupRole.forOrganisation(org)
      .where('meeting_id', meeting.id)
      .where('role_id', role.role_id)
      .useTransaction(trx)
      .first()
    if (existing) roleIds.set(role.id, existing.id)
    else {
      const row = await new CreateGroupRole().execute({
        meeting,
        title: role.title,
        roleId: role.role_id,
        roles: role.roles,
        actor,
        trx,
      })
      roleIds.set(role.id, row.id)
      created.group_roles++
    }
  }
  const groupIds = new Map<string, number>()
  for (const group of file.groups) {
    const existing = options.use_existing_groups
      ? await MeetingGroup.forOrganisation(org)
          .where('meeting_id', meeting.id)
          .where('groupid', group.groupid)
          .useTransaction(trx)
          .first()
      : null
    if (existing) {
      groupIds.set(group.id, existing.id)
      continue
    }
    const row = await new CreateGroup().execute({
      meeting,
      fields: {
        title: group.title,
        groupid: group.groupid,
        body: group.body,
        tags: group.tags,
        votes: group.votes,
        postAs: group.post_as,
        showOnSpeaker: group.show_on_speaker,
      },
      actor,
      trx,
    })
    groupIds.set(group.id, row.id)
    created.groups++
  }
  for (const group of file.groups) {
    if (group.delegate_to === null) continue
    const row = await MeetingGroup.forOrganisation(org)
      .where('id', groupIds.get(group.id)!)
      .useTransaction(trx)
      .firstOrFail()
    row.delegateToId = groupIds.get(group.delegate_to)!
    row.rev += 1
    await row.useTransaction(trx).save()
  }
  for (const group of file.groups) {
    for (const membership of group.memberships) {
      const user = find(membership.user)
      if (!user) continue
      await ensureParticipant(user)
      if (!participants.has(user.id)) {
        problems.push({
          key: `groups.${group.groupid}`,
          message: `${user.email ?? user.id} is not a participant; membership skipped`,
        })
        continue
      }
      const exists = await GroupMembership.forOrganisation(org)
        .where('meeting_group_id', groupIds.get(group.id)!)
        .where('user_id', user.id)
        .useTransaction(trx)
        .first()
      if (exists) continue
      const row = await GroupMembership.create(
        {
          organisationId: org,
          meetingId: meeting.id,
          meetingGroupId: groupIds.get(group.id)!,
          userId: user.id,
          groupRoleId: membership.role ? roleIds.get(membership.role)! : null,
          votes: membership.votes,
          rev: 1,
        },
        { client: trx }
      )
      await audit('GroupMembership', 'group_membership.created', row.id, {
        user: [null, user.id],
        meeting_group: [null, row.meetingGroupId],
      })
      created.memberships++
    }
  }

  // Agenda items with their documents, proposals and posts. Items are appended after existing ones.
  const last = await AgendaItem.forOrganisation(org)
    .where('meeting_id', meeting.id)
    .useTransaction(trx)
    .max('order as max')
  let order = Number(last[0]?.$extras.max ?? 0)
  const allowedItemStates =
    meeting.state === 'upcoming' ? ['private', 'upcoming'] : ['private', 'upcoming', 'closed']
  const objectIds = new Map<string, number>()
  const propIds = new Set(
    (
      await Proposal.forOrganisation(org)
        .where('meeting_id', meeting.id)
        .select('prop_id')
        .useTransaction(trx)
    ).map((p) => p.propId)
  )
  const groupOf = (ref: string | null) => (ref === null ? null : (groupIds.get(ref) ?? null))
  const clean = (html: string) => sanitizeRichText(html, 'relaxed')

  for (const source of [...file.agenda_items].sort((a, b) => a.order - b.order)) {
    order += 1
    const item = await AgendaItem.create(
      {
        organisationId: org,
        meetingId: meeting.id,
        title: source.title,
        body: clean(source.body),
        state: (allowedItemStates.includes(source.state)
          ? source.state
          : 'upcoming') as AgendaItem['state'],
        order,
        blockDiscussion: source.block_discussion,
        blockProposals: source.block_proposals,
        tags: source.tags,
        relatedModified: null,
        rev: 1,
      },
      { client: trx }
    )
    await audit('AgendaItem', 'agenda_item.created', item.id, {
      title: [null, item.title],
      state: [null, item.state],
    })
    created.agenda_items++

    const paragraphIds = new Map<string, number>()
    for (const doc of source.text_documents) {
      const author = find(doc.author)
      const row = await TextDocument.create(
        {
          organisationId: org,
          meetingId: meeting.id,
          agendaItemId: item.id,
          title: doc.title,
          body: clean(doc.body),
          baseTag: doc.base_tag,
          authorId: author?.id ?? null,
          rev: 1,
        },
        { client: trx }
      )
      await audit('TextDocument', 'text_document.created', row.id, {
        base_tag: [null, row.baseTag],
      })
      created.text_documents++
      for (const paragraph of doc.paragraphs) {
        const p = await TextParagraph.create(
          {
            organisationId: org,
            meetingId: meeting.id,
            agendaItemId: item.id,
            textDocumentId: row.id,
            paragraphId: paragraph.paragraph_id,
            body: clean(paragraph.body),
          },
          { client: trx }
        )
        paragraphIds.set(paragraph.id, p.id)
      }
    }
    for (const proposal of source.proposals) {
      const author = find(proposal.author)
      await ensureParticipant(author)
      const body = sanitizeRichText(proposal.body, 'strict')
      const meetingGroupId = groupOf(proposal.meeting_group)
      let propId = proposal.prop_id
      if (!propId || propIds.has(propId)) {
        const prefix = resolveProposalIdPolicy(meeting.proposalIdPolicyName).prefix({
          authorUserid: author?.userid ?? null,
          authorName: author ? `${author.firstName} ${author.lastName}`.trim() || null : null,
          asGroupId:
            proposal.as_group && proposal.meeting_group
              ? (file.groups.find((g) => g.id === proposal.meeting_group)?.groupid ?? null)
              : null,
          agendaItemPosition: order,
        })
        propId = nextProposalId(prefix ?? 'imported', propIds)
      }
      propIds.add(propId)
      const row = await Proposal.create(
        {
          organisationId: org,
          meetingId: meeting.id,
          agendaItemId: item.id,
          shortname: proposal.shortname,
          propId,
          body,
          title: excerpt(htmlToText(body)),
          // No polls are imported, so nothing can be `voting`.
          state: (proposal.state === 'voting' ? 'published' : proposal.state) as Proposal['state'],
          tags: proposal.tags,
          mentions: [],
          authorId: author?.id ?? null,
          meetingGroupId,
          asGroup: proposal.as_group && meetingGroupId !== null,
          paragraphId: proposal.paragraph ? (paragraphIds.get(proposal.paragraph) ?? null) : null,
          bodyDiffBrief: null,
          rev: 1,
        },
        { client: trx }
      )
      await ProposalVersion.create(
        {
          organisationId: org,
          meetingId: meeting.id,
          proposalId: row.id,
          version: 1,
          body,
          editorId: author?.id ?? null,
          createdAt: DateTime.utc(),
        },
        { client: trx }
      )
      await audit('Proposal', 'proposal.created', row.id, {
        prop_id: [null, propId],
        state: [null, row.state],
      })
      objectIds.set(proposal.id, row.id)
      created.proposals++
    }
    for (const post of source.discussion_posts) {
      const author = find(post.author)
      await ensureParticipant(author)
      const meetingGroupId = groupOf(post.meeting_group)
      const row = await DiscussionPost.create(
        {
          organisationId: org,
          meetingId: meeting.id,
          agendaItemId: item.id,
          body: sanitizeRichText(post.body, 'strict'),
          tags: post.tags,
          mentions: [],
          authorId: author?.id ?? null,
          meetingGroupId,
          asGroup: post.as_group && meetingGroupId !== null,
          rev: 1,
        },
        { client: trx }
      )
      await audit('DiscussionPost', 'discussion_post.created', row.id)
      objectIds.set(post.id, row.id)
      created.discussion_posts++
    }
  }

  const buttonIds = new Map<string, number>()
  for (const button of file.reaction_buttons) {
    const existing = await ReactionButton.forOrganisation(org)
      .where('meeting_id', meeting.id)
      .where('title_key', button.title.toLowerCase())
      .where('icon', button.icon)
      .where('color', button.color)
      .useTransaction(trx)
      .first()
    if (existing) {
      buttonIds.set(button.id, existing.id)
      continue
    }
    const row = await ReactionButton.create(
      {
        organisationId: org,
        meetingId: meeting.id,
        title: button.title,
        titleKey: button.title.toLowerCase(),
        description: button.description,
        icon: button.icon,
        color: button.color,
        changeRoles: button.change_roles,
        listRoles: button.list_roles,
        allowedModels: button.allowed_models,
        flagMode: button.flag_mode,
        voteTemplate: button.vote_template,
        onPresentation: button.on_presentation,
        onVote: button.on_vote,
        target: button.target,
        order: button.order,
        active: button.active,
        rev: 1,
      },
      { client: trx }
    )
    await audit('ReactionButton', 'reaction_button.created', row.id, { title: [null, row.title] })
    buttonIds.set(button.id, row.id)
    created.reaction_buttons++
  }
  for (const reaction of file.reactions) {
    const user = find(reaction.user)
    const objectId = objectIds.get(reaction.object)
    if (!user || objectId === undefined) continue
    const agendaItem =
      reaction.content_type === 'proposal'
        ? (
            await Proposal.forOrganisation(org)
              .where('id', objectId)
              .useTransaction(trx)
              .firstOrFail()
          ).agendaItemId
        : (
            await DiscussionPost.forOrganisation(org)
              .where('id', objectId)
              .useTransaction(trx)
              .firstOrFail()
          ).agendaItemId
    const row = await Reaction.create(
      {
        organisationId: org,
        meetingId: meeting.id,
        agendaItemId: agendaItem,
        buttonId: buttonIds.get(reaction.button)!,
        userId: user.id,
        contentType: reaction.content_type,
        objectId,
        rev: 1,
      },
      { client: trx }
    )
    await audit('Reaction', 'reaction.created', row.id)
    created.reactions++
  }
  for (const note of file.notes) {
    const user = find(note.user)
    const proposalId = objectIds.get(note.proposal)
    if (!user || proposalId === undefined) continue
    const proposal = await Proposal.forOrganisation(org)
      .where('id', proposalId)
      .useTransaction(trx)
      .firstOrFail()
    const row = await Note.create(
      {
        organisationId: org,
        meetingId: meeting.id,
        agendaItemId: proposal.agendaItemId,
        proposalId,
        userId: user.id,
        body: note.body,
        intent: (note.intent ?? '') as Note['intent'],
        rev: 1,
      },
      { client: trx }
    )
    await audit('Note', 'note.created', row.id)
    created.notes++
  }

  const locked = await Meeting.forOrganisation(org)
    .where('id', meeting.id)
    .useTransaction(trx)
    .forUpdate()
    .firstOrFail()
  locked.rev += 1
  await locked.useTransaction(trx).save()
  await recordAudit(trx, actor, {
    organisationId: org,
    meetingId: meeting.id,
    action: 'update',
    event: 'meeting.structure_imported',
    model: 'Meeting',
    objectId: meeting.id,
    changes: { imported: [null, created] },
  })
  publishAfterCommit(trx, [
    {
      channel: channels.meeting(meeting.id),
      type: 'meeting.changed',
      data: meetingPayload(locked),
      rid: actor.requestId ?? null,
    },
  ])
  return { created, problems }
}

/** `PUT /api/meetings/{id}/structure`: one transaction; the meeting must be upcoming (policy). */
export class ImportStructure {
  async execute(
    meeting: Meeting,
    file: StructureFile,
    options: Partial<ImportOptions>,
    actor: Actor
  ) {
    const result = await db.transaction((trx) =>
      importStructureIn(trx, meeting, file, options, actor)
    )
    return { ...result, signature_valid: signatureValid(file, exportSecret()) }
  }
}

class DryRun extends Error {
  constructor(readonly counts: Created) {
    super('dry run')
  }
}

/**
 * Clone = export + create + import in one transaction (domain §21); a dry run (the default)
 * rolls back and answers the counts.
 */
export class CloneMeeting {
  async execute(input: {
    organisation: Organisation
    source: Meeting
    title?: string
    dryrun: boolean
    exportOptions?: Partial<ExportOptions>
    importOptions?: Partial<ImportOptions>
    creator: User | null
    actor: Actor
  }): Promise<{ meeting: Meeting | null; counts: Created; problems: ImportProblem[] }> {
    try {
      return await db.transaction(async (trx) => {
        const content = await buildStructure(input.source, input.exportOptions ?? {}, trx)
        const file: StructureFile = { ...content, signature: null }
        const meeting = await new CreateMeeting().execute({
          organisation: input.organisation,
          title: input.title ?? `${content.meeting.title} (copy)`.slice(0, 100),
          body: content.meeting.body,
          erPolicyName: content.meeting.er_policy_name,
          proposalIdPolicyName: content.meeting.proposal_id_policy_name,
          groupVotesActive: content.meeting.group_votes_active,
          groupRolesActive: content.meeting.group_roles_active,
          defaultSecretPolls: content.meeting.default_secret_polls,
          creator: input.creator,
          actor: input.actor,
          trx,
        })
        const { created, problems } = await importStructureIn(
          trx,
          meeting,
          file,
          { add_participants: true, use_existing_groups: true, ...input.importOptions },
          input.actor
        )
        if (input.dryrun) throw new DryRun(created)
        return { meeting, counts: created, problems }
      })
    } catch (error) {
      if (error instanceof DryRun) return { meeting: null, counts: error.counts, problems: [] }
      throw error
    }
  }
}
