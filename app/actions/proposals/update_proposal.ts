import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Meeting from '#models/meeting'
import type User from '#models/user'
import AgendaItem from '#models/agenda_item'
import Proposal, { proposalAuditState, proposalTrackedFields } from '#models/proposal'
import ProposalVersion from '#models/proposal_version'
import TextParagraph from '#models/text_paragraph'
import TextDocument from '#models/text_document'
import { notFound } from '#domain/errors'
import { renderDiff } from '#domain/proposals/diff'
import { paragraphTag } from '#domain/proposals/text_documents'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import {
  extraTagsOf,
  resolveAuthorship,
  richContent,
  touchAgendaItem,
  withTags,
  type AuthorshipInput,
} from '#services/content'
import { publishAfterCommit } from '#realtime/publish'
import { proposalMessages } from '#transformers/proposal_transformer'

export interface ProposalChanges extends AuthorshipInput {
  body?: string
  tags?: string[]
}

/**
 * Moderator edit of a proposal (api.md §6.10 PATCH). Every change of `body`
 * stores a new version (B-ADD-08) with the editor; tags are re-derived from
 * the body plus the extra tags, `prop_id` and the paragraph tag.
 */
export default class UpdateProposal {
  async execute(input: {
    proposal: Proposal
    meeting: Meeting
    caller: User
    changes: ProposalChanges
    actor: Actor
    trx?: TransactionClientContract
  }): Promise<Proposal> {
    const run = async (trx: TransactionClientContract) => {
      const proposal = await Proposal.forOrganisation(input.proposal.organisationId)
        .where('id', input.proposal.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!proposal) throw notFound('No such proposal')
      const { changes, meeting } = input
      const before = proposalAuditState(proposal)

      const authorship = await resolveAuthorship(
        meeting,
        input.caller,
        true,
        changes,
        proposal,
        trx
      )
      proposal.authorId = authorship.authorId
      proposal.meetingGroupId = authorship.meetingGroupId
      proposal.asGroup = authorship.asGroup

      let tagOfParagraph: string | null = null
      let paragraph: TextParagraph | null = null
      if (proposal.paragraphId) {
        paragraph = await TextParagraph.forOrganisation(proposal.organisationId)
          .where('id', proposal.paragraphId)
          .useTransaction(trx)
          .first()
        const document = paragraph
          ? await TextDocument.forOrganisation(proposal.organisationId)
              .where('id', paragraph.textDocumentId)
              .useTransaction(trx)
              .first()
          : null
        if (paragraph && document)
          tagOfParagraph = paragraphTag(document.baseTag, paragraph.paragraphId)
      }
      const bodyChanged = changes.body !== undefined
      if (bodyChanged || changes.tags !== undefined) {
        const extra =
          changes.tags ??
          extraTagsOf(proposal.tags, proposal.body, [proposal.propId, tagOfParagraph ?? ''])
        const content = await richContent(meeting, changes.body ?? proposal.body, extra, trx)
        const textChanged = content.body !== proposal.body
        proposal.body = content.body
        proposal.title = content.title
        proposal.mentions = content.mentions
        proposal.tags = withTags(content.tags, proposal.propId, tagOfParagraph)
        if (paragraph)
          proposal.bodyDiffBrief = renderDiff(paragraph.body, content.text, { brief: true })
        if (textChanged) {
          const last = await ProposalVersion.forOrganisation(proposal.organisationId)
            .where('proposal_id', proposal.id)
            .useTransaction(trx)
            .max('version as latest')
            .first()
          await ProposalVersion.create(
            {
              organisationId: proposal.organisationId,
              meetingId: proposal.meetingId,
              proposalId: proposal.id,
              version: Number(last?.$extras.latest ?? 0) + 1,
              body: proposal.body,
              editorId: input.actor.userId,
            },
            { client: trx }
          )
        }
      }
      const changed = diffFields(before, proposalAuditState(proposal), proposalTrackedFields)
      // Tags are not a tracked field of domain §19.1, but a change of them is still a change to record.
      if (JSON.stringify(proposal.$original.tags) !== JSON.stringify(proposal.tags))
        changed.tags = [proposal.$original.tags, proposal.tags]
      if (Object.keys(changed).length === 0) return proposal
      proposal.rev += 1
      await proposal.useTransaction(trx).save()
      await recordAudit(trx, input.actor, {
        organisationId: proposal.organisationId,
        meetingId: proposal.meetingId,
        agendaItemId: proposal.agendaItemId,
        action: 'update',
        event: 'proposal.updated',
        model: 'Proposal',
        objectId: proposal.id,
        changes: changed,
      })
      const item = await AgendaItem.forOrganisation(proposal.organisationId)
        .where('id', proposal.agendaItemId)
        .useTransaction(trx)
        .firstOrFail()
      await touchAgendaItem(trx, item, input.actor.requestId ?? null)
      publishAfterCommit(trx, proposalMessages(proposal, item.state, input.actor.requestId ?? null))
      return proposal
    }
    return input.trx ? run(input.trx) : db.transaction(run)
  }
}
