import type { HttpContext } from '@adonisjs/core/http'
import TextDocument from '#models/text_document'
import TextParagraph from '#models/text_paragraph'
import TextDocumentVersion from '#models/text_document_version'
import { renderDiff } from '#domain/proposals/diff'
import { fieldError } from '#domain/errors'
import ProposalPolicy from '#policies/proposal_policy'
import { requestActor } from '#middleware/authenticate_middleware'
import {
  readableMeeting,
  viewableDocument,
  viewableItem,
  viewableItemIds,
} from '#services/content_lookup'
import { proposalVersionPayload, textDocumentPayload } from '#transformers/proposal_transformer'
import {
  createTextDocumentValidator,
  listTextDocumentsValidator,
  updateTextDocumentValidator,
  versionDiffValidator,
} from '#validators/proposals'
import SaveTextDocument from '#actions/text_documents/save_text_document'

/** Text documents with their paragraphs (api.md §6.10, domain §9.2). */
export default class TextDocumentsController {
  async index(ctx: HttpContext) {
    const filters = await ctx.request.validateUsing(listTextDocumentsValidator, {
      data: ctx.request.qs(),
    })
    const query = TextDocument.forOrganisation(ctx.organisation.id)
    if (filters.agenda_item) {
      const { item } = await viewableItem(ctx, filters.agenda_item, 'agenda_item')
      if (filters.meeting && filters.meeting !== item.meetingId)
        throw fieldError('meeting', 'The agenda item is in another meeting', 'exists')
      query.where('agenda_item_id', item.id)
    } else {
      const meeting = await readableMeeting(ctx, filters.meeting!, 'meeting')
      query
        .where('meeting_id', meeting.id)
        .whereIn('agenda_item_id', await viewableItemIds(ctx, meeting))
    }
    const documents = await query.orderBy('created_at').orderBy('id')
    const paragraphs = documents.length
      ? await TextParagraph.forOrganisation(ctx.organisation.id).whereIn(
          'text_document_id',
          documents.map((document) => document.id)
        )
      : []
    return {
      data: documents.map((document) =>
        textDocumentPayload(
          document,
          paragraphs.filter((paragraph) => paragraph.textDocumentId === document.id)
        )
      ),
    }
  }

  async show(ctx: HttpContext) {
    const { document } = await viewableDocument(ctx, ctx.params.id)
    const paragraphs = await TextParagraph.forOrganisation(ctx.organisation.id).where(
      'text_document_id',
      document.id
    )
    return textDocumentPayload(document, paragraphs)
  }

  /** GET /api/text-documents/{id}/versions (B-ADD-08): oldest first. */
  async versions(ctx: HttpContext) {
    const { document } = await viewableDocument(ctx, ctx.params.id)
    const versions = await TextDocumentVersion.forOrganisation(ctx.organisation.id)
      .where('text_document_id', document.id)
      .orderBy('version')
    return { data: versions.map(proposalVersionPayload) }
  }

  /** GET /api/text-documents/{id}/diff?from=&to=: word-level HTML diff of two versions. */
  async diff(ctx: HttpContext) {
    const { document } = await viewableDocument(ctx, ctx.params.id)
    const query = await ctx.request.validateUsing(versionDiffValidator, { data: ctx.request.qs() })
    const versions = await TextDocumentVersion.forOrganisation(ctx.organisation.id)
      .where('text_document_id', document.id)
      .whereIn('version', [query.from, query.to])
    const from = versions.find((version) => version.version === query.from)
    const to = versions.find((version) => version.version === query.to)
    if (!from) throw fieldError('from', 'No such version', 'exists')
    if (!to) throw fieldError('to', 'No such version', 'exists')
    return {
      from: query.from,
      to: query.to,
      html: renderDiff(from.body, to.body, { brief: query.brief ?? false }),
    }
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createTextDocumentValidator)
    const { item, meeting } = await viewableItem(ctx, input.agenda_item, 'agenda_item')
    await ctx.bouncer.with(ProposalPolicy).authorize('addTextDocument', item, meeting)
    const { document, paragraphs } = await new SaveTextDocument().create({
      item,
      fields: { title: input.title, body: input.body, baseTag: input.base_tag },
      authorId: ctx.currentUser!.id,
      actor: requestActor(ctx),
    })
    return ctx.response.created(textDocumentPayload(document, paragraphs))
  }

  async update(ctx: HttpContext) {
    const { document, item, meeting } = await viewableDocument(ctx, ctx.params.id)
    await ctx.bouncer.with(ProposalPolicy).authorize('changeTextDocument', document, item, meeting)
    const input = await ctx.request.validateUsing(updateTextDocumentValidator)
    const result = await new SaveTextDocument().update({
      document,
      fields: { title: input.title, body: input.body, baseTag: input.base_tag },
      actor: requestActor(ctx),
    })
    return textDocumentPayload(result.document, result.paragraphs)
  }

  async destroy(ctx: HttpContext) {
    const { document, item, meeting } = await viewableDocument(ctx, ctx.params.id)
    await ctx.bouncer.with(ProposalPolicy).authorize('changeTextDocument', document, item, meeting)
    await new SaveTextDocument().delete({ document, actor: requestActor(ctx) })
    return ctx.response.noContent()
  }
}
