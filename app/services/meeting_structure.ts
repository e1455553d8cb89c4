import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import type Meeting from '#models/meeting'
import AgendaItem from '#models/agenda_item'
import Proposal from '#models/proposal'
import TextDocument from '#models/text_document'
import TextParagraph from '#models/text_paragraph'
import DiscussionPost from '#models/discussion_post'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import GroupMembership from '#models/group_membership'
import ReactionButton from '#models/reaction_button'
import Reaction from '#models/reaction'
import Note from '#models/note'
import User from '#models/user'
import OrganisationHost from '#models/organisation_host'
import {
  STRUCTURE_FORMAT_VERSION,
  defaultExportOptions,
  placeholder,
  type ExportOptions,
  type StructureFile,
  type UserRef,
} from '#domain/meeting_structure/format'

/** EXPORT_SECRET_KEY signs structure files (domain §21); without it the app key is used. */
export function exportSecret(): string {
  return env.get('EXPORT_SECRET_KEY') || env.get('APP_KEY').release()
}

/**
 * Reads a meeting's structure into the file shape (domain §21) with the export options applied.
 * Runs in the caller's transaction when given (clone).
 */
export async function buildStructure(
  meeting: Meeting,
  partial: Partial<ExportOptions> = {},
  trx?: TransactionClientContract
): Promise<Omit<StructureFile, 'signature'>> {
  const options: ExportOptions = { ...defaultExportOptions, ...partial }
  const org = meeting.organisationId
  const scoped = <Q extends { useTransaction: (t: TransactionClientContract) => Q }>(query: Q) =>
    trx ? query.useTransaction(trx) : query

  const items = await scoped(
    AgendaItem.forOrganisation(org).where('meeting_id', meeting.id).orderBy('order').orderBy('id')
  )
  const itemIds = items.map((item) => item.id)
  const proposals =
    options.include_proposals && itemIds.length
      ? await scoped(Proposal.forOrganisation(org).whereIn('agenda_item_id', itemIds).orderBy('id'))
      : []
  const documents =
    options.include_proposals && itemIds.length
      ? await scoped(
          TextDocument.forOrganisation(org).whereIn('agenda_item_id', itemIds).orderBy('id')
        )
      : []
  const paragraphs = documents.length
    ? await scoped(
        TextParagraph.forOrganisation(org)
          .whereIn(
            'text_document_id',
            documents.map((d) => d.id)
          )
          .orderBy('paragraph_id')
      )
    : []
  const posts =
    options.include_discussions && itemIds.length
      ? await scoped(
          DiscussionPost.forOrganisation(org).whereIn('agenda_item_id', itemIds).orderBy('id')
        )
      : []
  const groups = options.include_groups
    ? await scoped(MeetingGroup.forOrganisation(org).where('meeting_id', meeting.id).orderBy('id'))
    : []
  const roles = options.include_groups
    ? await scoped(GroupRole.forOrganisation(org).where('meeting_id', meeting.id).orderBy('id'))
    : []
  const memberships = groups.length
    ? await scoped(
        GroupMembership.forOrganisation(org).where('meeting_id', meeting.id).orderBy('id')
      )
    : []
  const buttons = options.include_buttons
    ? await scoped(
        ReactionButton.forOrganisation(org).where('meeting_id', meeting.id).orderBy('id')
      )
    : []
  const reactions =
    options.include_reactions && buttons.length
      ? await scoped(Reaction.forOrganisation(org).where('meeting_id', meeting.id).orderBy('id'))
      : []
  const notes =
    options.include_notes && proposals.length
      ? await scoped(Note.forOrganisation(org).where('meeting_id', meeting.id).orderBy('id'))
      : []

  const userIds = new Set<number>()
  for (const row of [...proposals, ...posts, ...documents])
    if (row.authorId) userIds.add(row.authorId)
  for (const row of [...memberships, ...reactions, ...notes]) userIds.add(row.userId)
  const users = userIds.size
    ? await scoped(User.forOrganisation(org).whereIn('id', [...userIds]))
    : []
  const userRef = (id: number | null): UserRef | null => {
    const user = id === null ? undefined : users.find((candidate) => candidate.id === id)
    return user ? { email: user.email, userid: user.userid } : null
  }
  const author = (id: number | null) => (options.clear_authors ? null : userRef(id))
  const exportedProposals = new Set(proposals.map((p) => p.id))
  const host = await scoped(
    OrganisationHost.query().where('organisation_id', org).orderBy('id')
  ).first()

  return {
    format_version: STRUCTURE_FORMAT_VERSION,
    exported_at: DateTime.utc().toISO()!,
    source: { host: host?.host ?? null, meeting: meeting.id },
    options: { ...options },
    meeting: {
      title: meeting.title,
      body: meeting.body,
      er_policy_name: meeting.erPolicyName,
      proposal_id_policy_name: meeting.proposalIdPolicyName,
      group_votes_active: meeting.groupVotesActive,
      group_roles_active: meeting.groupRolesActive,
      default_secret_polls: meeting.defaultSecretPolls,
      installed_dialect: meeting.installedDialect,
    },
    group_roles: roles.map((role) => ({
      id: placeholder(`r${role.id}`),
      title: role.title,
      role_id: role.roleId,
      roles: role.roles,
    })),
    groups: groups.map((group) => ({
      id: placeholder(`g${group.id}`),
      title: group.title,
      groupid: group.groupid,
      body: group.body,
      votes: group.votes,
      tags: group.tags,
      post_as: group.postAs,
      show_on_speaker: group.showOnSpeaker,
      delegate_to: group.delegateToId === null ? null : placeholder(`g${group.delegateToId}`),
      memberships: memberships
        .filter((m) => m.meetingGroupId === group.id)
        .flatMap((m) => {
          const user = userRef(m.userId)
          return user
            ? [
                {
                  user,
                  role: m.groupRoleId === null ? null : placeholder(`r${m.groupRoleId}`),
                  votes: m.votes,
                },
              ]
            : []
        }),
    })),
    agenda_items: items.map((item) => ({
      id: placeholder(`a${item.id}`),
      title: item.title,
      body: item.body,
      state: options.clear_ai_states ? 'private' : item.state,
      order: item.order,
      tags: item.tags,
      block_discussion: item.blockDiscussion,
      block_proposals: item.blockProposals,
      text_documents: documents
        .filter((doc) => doc.agendaItemId === item.id)
        .map((doc) => ({
          id: placeholder(`t${doc.id}`),
          title: doc.title,
          body: doc.body,
          base_tag: doc.baseTag,
          author: author(doc.authorId),
          paragraphs: paragraphs
            .filter((p) => p.textDocumentId === doc.id)
            .map((p) => ({
              id: placeholder(`p${p.id}`),
              paragraph_id: p.paragraphId,
              body: p.body,
            })),
        })),
      proposals: proposals
        .filter((p) => p.agendaItemId === item.id)
        .map((p) => ({
          id: placeholder(`pr${p.id}`),
          shortname: p.shortname as 'proposal' | 'diff_proposal',
          prop_id: options.clear_proposal_id ? null : p.propId,
          body: p.body,
          state: options.clear_proposal_states ? 'published' : p.state,
          tags: p.tags,
          author: author(p.authorId),
          meeting_group:
            options.clear_group_authors || p.meetingGroupId === null || !groups.length
              ? null
              : placeholder(`g${p.meetingGroupId}`),
          as_group: options.clear_group_authors || !groups.length ? false : p.asGroup,
          paragraph: p.paragraphId === null ? null : placeholder(`p${p.paragraphId}`),
          created: p.createdAt?.toUTC().toISO() ?? null,
        })),
      discussion_posts: posts
        .filter((post) => post.agendaItemId === item.id)
        .map((post) => ({
          id: placeholder(`d${post.id}`),
          body: post.body,
          tags: post.tags,
          author: author(post.authorId),
          meeting_group:
            options.clear_group_authors || post.meetingGroupId === null || !groups.length
              ? null
              : placeholder(`g${post.meetingGroupId}`),
          as_group: options.clear_group_authors || !groups.length ? false : post.asGroup,
          created: post.createdAt?.toUTC().toISO() ?? null,
        })),
    })),
    reaction_buttons: buttons.map((b) => ({
      id: placeholder(`b${b.id}`),
      title: b.title,
      description: b.description,
      icon: b.icon,
      color: b.color,
      change_roles: b.changeRoles as never,
      list_roles: b.listRoles as never,
      allowed_models: b.allowedModels,
      flag_mode: b.flagMode,
      vote_template: b.voteTemplate,
      on_presentation: b.onPresentation,
      on_vote: b.onVote,
      target: b.target,
      order: b.order,
      active: b.active,
    })),
    reactions: reactions
      .filter((r) =>
        r.contentType === 'proposal'
          ? exportedProposals.has(r.objectId)
          : posts.some((p) => p.id === r.objectId)
      )
      .flatMap((r) => {
        const user = userRef(r.userId)
        return user
          ? [
              {
                button: placeholder(`b${r.buttonId}`),
                user,
                content_type: r.contentType,
                object: placeholder(`${r.contentType === 'proposal' ? 'pr' : 'd'}${r.objectId}`),
              },
            ]
          : []
      }),
    notes: notes
      .filter((n) => exportedProposals.has(n.proposalId))
      .flatMap((n) => {
        const user = userRef(n.userId)
        return user
          ? [
              {
                user,
                proposal: placeholder(`pr${n.proposalId}`),
                body: n.body,
                intent: n.intent || null,
              },
            ]
          : []
      }),
  }
}
