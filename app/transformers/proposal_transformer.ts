import type Proposal from '#models/proposal'
import type ProposalVersion from '#models/proposal_version'
import type TextDocument from '#models/text_document'
import type TextDocumentVersion from '#models/text_document_version'
import type TextParagraph from '#models/text_paragraph'
import type { OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { paragraphTag } from '#domain/proposals/text_documents'

const iso = (value: { toUTC: () => { toISO: () => string | null } } | null) =>
  value ? value.toUTC().toISO() : null

/** `Proposal` (api.md §6.10); amendments add `paragraph` and `body_diff_brief`. */
export function proposalPayload(proposal: Proposal) {
  return {
    id: proposal.id,
    rev: proposal.rev,
    meeting: proposal.meetingId,
    agenda_item: proposal.agendaItemId,
    shortname: proposal.shortname,
    prop_id: proposal.propId,
    title: proposal.title,
    body: proposal.body,
    state: proposal.state,
    tags: proposal.tags,
    mentions: proposal.mentions,
    author: proposal.authorId,
    meeting_group: proposal.meetingGroupId,
    as_group: proposal.asGroup,
    created: iso(proposal.createdAt),
    modified: iso(proposal.updatedAt),
    ...(proposal.shortname === 'diff_proposal'
      ? { paragraph: proposal.paragraphId, body_diff_brief: proposal.bodyDiffBrief ?? '' }
      : {}),
  }
}

/** `{version, body, editor, created}` of a proposal or text document version. */
export function proposalVersionPayload(version: ProposalVersion | TextDocumentVersion) {
  return {
    version: version.version,
    body: version.body,
    editor: version.editorId,
    created: iso(version.createdAt),
  }
}

/**
 * `proposal.changed` (api.md §8.2): moderators always; participants only for
 * proposals of non-private agenda items.
 */
export function proposalMessages(
  proposal: Proposal,
  itemState: string,
  rid: string | null = null
): OutgoingMessage[] {
  const data = proposalPayload(proposal)
  const messages: OutgoingMessage[] = [
    { channel: channels.moderators(proposal.meetingId), type: 'proposal.changed', data, rid },
  ]
  if (itemState !== 'private') {
    messages.push({
      channel: channels.participants(proposal.meetingId),
      type: 'proposal.changed',
      data,
      rid,
    })
  }
  return messages
}

export function proposalDeletedMessages(
  proposal: Proposal,
  itemState: string,
  rid: string | null = null
): OutgoingMessage[] {
  const data = { id: proposal.id, rev: proposal.rev + 1, meeting: proposal.meetingId }
  const messages: OutgoingMessage[] = [
    { channel: channels.moderators(proposal.meetingId), type: 'proposal.deleted', data, rid },
  ]
  if (itemState !== 'private') {
    messages.push({
      channel: channels.participants(proposal.meetingId),
      type: 'proposal.deleted',
      data,
      rid,
    })
  }
  return messages
}

/** `TextDocument` with `paragraphs` (api.md §6.10). */
export function textDocumentPayload(document: TextDocument, paragraphs: TextParagraph[]) {
  return {
    id: document.id,
    rev: document.rev,
    meeting: document.meetingId,
    agenda_item: document.agendaItemId,
    title: document.title,
    body: document.body,
    base_tag: document.baseTag,
    author: document.authorId,
    created: iso(document.createdAt),
    modified: iso(document.updatedAt),
    paragraphs: [...paragraphs]
      .sort((a, b) => a.paragraphId - b.paragraphId)
      .map((paragraph) => ({
        id: paragraph.id,
        paragraph_id: paragraph.paragraphId,
        body: paragraph.body,
        tag: paragraphTag(document.baseTag, paragraph.paragraphId),
      })),
  }
}
