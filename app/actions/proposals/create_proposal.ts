import { randomInt } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import lockManager from '@adonisjs/lock/services/main'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type AgendaItem from '#models/agenda_item'
import type Meeting from '#models/meeting'
import User from '#models/user'
import Proposal, {
  proposalAuditState,
  proposalTrackedFields,
  type ProposalShortname,
} from '#models/proposal'
import ProposalVersion from '#models/proposal_version'
import TextParagraph from '#models/text_paragraph'
import TextDocument from '#models/text_document'
import { DomainError, fieldError } from '#domain/errors'
import {
  nextProposalId,
  randomProposalId,
  resolveProposalIdPolicy,
  type ProposalIdFacts,
} from '#domain/proposals/id_policies'
import { renderDiff } from '#domain/proposals/diff'
import { paragraphTag } from '#domain/proposals/text_documents'
import { htmlToText } from '#domain/rich_text/content'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import {
  resolveAuthorship,
  richContent,
  touchAgendaItem,
  withTags,
  type AuthorshipInput,
} from '#services/content'
import { publishAfterCommit } from '#realtime/publish'
import { proposalMessages } from '#transformers/proposal_transformer'

export interface CreateProposalInput {
  meeting: Meeting
  item: AgendaItem
  /** The calling user (authorship rules); the policy has already allowed `proposal.add`. */
  caller: User
  callerIsModerator: boolean
  shortname: ProposalShortname
  body: string
  tags?: string[]
  authorship: AuthorshipInput
  /** TextParagraph id, amendments only. */
  paragraph?: number | null
  actor: Actor
}

/** What a proposal would look like, without id (the preview endpoint). */
export interface ProposalDraft {
  fields: {
    shortname: ProposalShortname
    body: string
    title: string
    tags: string[]
    mentions: number[]
    authorId: number | null
    meetingGroupId: number | null
    asGroup: boolean
    paragraphId: number | null
    bodyDiffBrief: string | null
  }
  /** Prefix of the id series (lock key), null for random ids. */
  idPrefix: string | null
  /** Tag that every save appends for amendments. */
  paragraphTag: string | null
}

const MAX_ATTEMPTS = 8

function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: string; message?: string }
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/i.test(err?.message ?? '')
  )
}

/** 1-based position of the item in the meeting's agenda order (the `agenda_item` policy). */
async function agendaPosition(client: QueryClientContract, item: AgendaItem): Promise<number> {
  const row = await client
    .from('agenda_items')
    .where('meeting_id', item.meetingId)
    .where((before) => {
      before
        .where('order', '<', item.order)
        .orWhere((same) => same.where('order', item.order).where('id', '<=', item.id))
    })
    .count('* as total')
    .first()
  return Number(row?.total ?? 1)
}

/**
 * Creates a proposal or an amendment (domain §9.1, §9.3): strict sanitising,
 * hashtags and mentions, the proposal id from the meeting's policy (§9.6),
 * version 1, the audit entry and `proposal.changed` after commit.
 *
 * Id allocation runs under a lock keyed by (meeting, prefix) that is held
 * until the transaction has committed; the unique index (meeting, prop_id) is
 * the backstop across processes, and a lost race retries with the next number.
 */
export default class CreateProposal {
  /** Validates and derives every field; used by create and by preview. */
  async draft(input: CreateProposalInput, client?: QueryClientContract): Promise<ProposalDraft> {
    const { meeting, item } = input
    let paragraph: TextParagraph | null = null
    let document: TextDocument | null = null
    if (input.shortname === 'diff_proposal') {
      if (!input.paragraph)
        throw fieldError('paragraph', 'An amendment needs a paragraph', 'required')
      paragraph = await TextParagraph.forOrganisation(meeting.organisationId)
        .where('id', input.paragraph)
        .where('agenda_item_id', item.id)
        .first()
      if (!paragraph)
        throw fieldError('paragraph', 'No such paragraph in this agenda item', 'exists')
      document = await TextDocument.findInOrganisation(
        meeting.organisationId,
        paragraph.textDocumentId
      )
    } else if (input.paragraph) {
      throw fieldError(
        'paragraph',
        'Only amendments (diff_proposal) refer to a paragraph',
        'prohibited'
      )
    }
    const authorship = await resolveAuthorship(
      meeting,
      input.caller,
      input.callerIsModerator,
      input.authorship
    )
    const content = await richContent(meeting, input.body, input.tags ?? [], client)
    const tagOfParagraph =
      paragraph && document ? paragraphTag(document.baseTag, paragraph.paragraphId) : null

    const author = authorship.authorId
      ? await User.findInOrganisation(meeting.organisationId, authorship.authorId)
      : null
    const facts: ProposalIdFacts = {
      authorUserid: author?.userid ?? null,
      authorName: author ? `${author.firstName} ${author.lastName}`.trim() || null : null,
      asGroupId: authorship.asGroup ? (authorship.group?.groupid ?? null) : null,
      agendaItemPosition: await agendaPosition(client ?? db.connection(), item),
    }
    const idPrefix = resolveProposalIdPolicy(meeting.proposalIdPolicyName).prefix(facts)
    return {
      fields: {
        shortname: input.shortname,
        body: content.body,
        title: content.title,
        tags: content.tags,
        mentions: content.mentions,
        authorId: authorship.authorId,
        meetingGroupId: authorship.meetingGroupId,
        asGroup: authorship.asGroup,
        paragraphId: paragraph?.id ?? null,
        bodyDiffBrief: paragraph ? renderDiff(paragraph.body, content.text, { brief: true }) : null,
      },
      idPrefix,
      paragraphTag: tagOfParagraph,
    }
  }

  /** The id the next proposal of this series would get now (not reserved). */
  async nextId(
    client: QueryClientContract,
    meetingId: number,
    prefix: string | null
  ): Promise<string> {
    if (prefix === null) return randomProposalId(() => randomInt(0, 2 ** 32) / 2 ** 32)
    const likePrefix = prefix.replace(/[\\%_]/g, (char) => `\\${char}`)
    const rows = await client
      .from('proposals')
      .where('meeting_id', meetingId)
      .whereRaw(`prop_id like ? escape '\\'`, [`${likePrefix}%`])
      .select('prop_id')
    return nextProposalId(
      prefix,
      rows.map((row: { prop_id: string }) => row.prop_id)
    )
  }

  async preview(input: CreateProposalInput) {
    const draft = await this.draft(input)
    const propId = await this.nextId(db.connection(), input.meeting.id, draft.idPrefix)
    return {
      ...draft.fields,
      propId,
      tags: withTags(draft.fields.tags, propId, draft.paragraphTag),
    }
  }

  async execute(input: CreateProposalInput): Promise<Proposal> {
    const draft = await this.draft(input)
    const lock =
      draft.idPrefix === null
        ? null
        : lockManager.createLock(`proposal-id:${input.meeting.id}:${draft.idPrefix}`, '30s')
    if (lock) {
      const acquired = await lock.acquire({ retry: { delay: 20, timeout: 30_000 } })
      if (!acquired)
        throw new DomainError('conflict', 'Could not allocate a proposal id, please try again')
    }
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction((trx) => this.insert(trx, input, draft))
        } catch (error) {
          if (!isUniqueViolation(error)) throw error
          if (attempt >= MAX_ATTEMPTS)
            throw new DomainError('conflict', 'Could not allocate a proposal id, please try again')
        }
      }
    } finally {
      await lock?.release()
    }
  }

  private async insert(
    trx: TransactionClientContract,
    input: CreateProposalInput,
    draft: ProposalDraft
  ) {
    const { meeting, item } = input
    const propId = await this.nextId(trx, meeting.id, draft.idPrefix)
    const proposal = await Proposal.create(
      {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        agendaItemId: item.id,
        ...draft.fields,
        propId,
        tags: withTags(draft.fields.tags, propId, draft.paragraphTag),
        state: 'published',
        rev: 1,
      },
      { client: trx }
    )
    await ProposalVersion.create(
      {
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        proposalId: proposal.id,
        version: 1,
        body: proposal.body,
        editorId: input.actor.userId,
      },
      { client: trx }
    )
    await recordAudit(trx, input.actor, {
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      agendaItemId: item.id,
      action: 'create',
      event: 'proposal.created',
      model: 'Proposal',
      objectId: proposal.id,
      changes: diffFields({}, proposalAuditState(proposal), proposalTrackedFields),
    })
    await touchAgendaItem(trx, item, input.actor.requestId ?? null)
    publishAfterCommit(trx, proposalMessages(proposal, item.state, input.actor.requestId ?? null))
    return proposal
  }
}

/** Plain text of a stored amendment body (what the paragraph is compared with). */
export const amendmentText = (body: string) => htmlToText(body)
