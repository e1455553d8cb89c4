import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type AgendaItem from '#models/agenda_item'
import TextDocument, {
  textDocumentAuditState,
  textDocumentTrackedFields,
} from '#models/text_document'
import TextParagraph from '#models/text_paragraph'
import TextDocumentVersion from '#models/text_document_version'
import { fieldError, notFound, permissionDenied } from '#domain/errors'
import { splitParagraphs, BASE_TAG_PATTERN } from '#domain/proposals/text_documents'
import { diffFields, recordAudit, type Actor } from '#services/audit_log'
import { publishAfterCommit, type OutgoingMessage } from '#realtime/publish'
import { channels } from '#realtime/channels'
import { textDocumentPayload } from '#transformers/proposal_transformer'

export interface TextDocumentFields {
  title?: string
  body?: string
  baseTag?: string
}

/** Whether any paragraph of the document has an amendment (freezes it, domain §9.2). */
export async function documentHasAmendments(
  document: TextDocument,
  client?: TransactionClientContract
) {
  const query = (client ?? db.connection())
    .from('proposals')
    .join('text_paragraphs', 'text_paragraphs.id', 'proposals.paragraph_id')
    .where('text_paragraphs.text_document_id', document.id)
    .first()
  return !!(await query)
}

async function assertBaseTagFree(
  trx: TransactionClientContract,
  document: { agendaItemId: number; id?: number },
  baseTag: string
) {
  if (!BASE_TAG_PATTERN.test(baseTag))
    throw fieldError('base_tag', 'Use letters, digits, "-" or "_" (at most 40)', 'regex')
  const clash = await trx
    .from('text_documents')
    .where('agenda_item_id', document.agendaItemId)
    .where('base_tag', baseTag)
    .if(document.id, (query) => query.whereNot('id', document.id!))
    .first()
  if (clash)
    throw fieldError(
      'base_tag',
      'Another text document of this agenda item uses this tag',
      'unique'
    )
}

async function writeParagraphs(trx: TransactionClientContract, document: TextDocument) {
  await TextParagraph.forOrganisation(document.organisationId)
    .where('text_document_id', document.id)
    .useTransaction(trx)
    .delete()
  const paragraphs: TextParagraph[] = []
  for (const [index, body] of splitParagraphs(document.body).entries()) {
    paragraphs.push(
      await TextParagraph.create(
        {
          organisationId: document.organisationId,
          meetingId: document.meetingId,
          agendaItemId: document.agendaItemId,
          textDocumentId: document.id,
          paragraphId: index + 1,
          body,
        },
        { client: trx }
      )
    )
  }
  return paragraphs
}

/** Stores the document's current body as the next version (B-ADD-08). */
async function storeVersion(
  trx: TransactionClientContract,
  document: TextDocument,
  editorId: number | null
) {
  const last = await trx
    .from('text_document_versions')
    .where('text_document_id', document.id)
    .max('version as latest')
    .first()
  await TextDocumentVersion.create(
    {
      organisationId: document.organisationId,
      meetingId: document.meetingId,
      textDocumentId: document.id,
      version: Number(last?.latest ?? 0) + 1,
      body: document.body,
      editorId,
    },
    { client: trx }
  )
}

function changedMessage(
  document: TextDocument,
  paragraphs: TextParagraph[],
  rid: string | null
): OutgoingMessage {
  return {
    channel: channels.agendaItem(document.meetingId, document.agendaItemId),
    type: 'text_document.changed',
    data: textDocumentPayload(document, paragraphs),
    rid,
  }
}

/** Create, change and delete text documents (api.md §6.10, domain §9.2). */
export default class SaveTextDocument {
  async create(input: {
    item: AgendaItem
    fields: Required<TextDocumentFields>
    authorId: number | null
    actor: Actor
  }) {
    return db.transaction(async (trx) => {
      const baseTag = input.fields.baseTag.trim().toLowerCase()
      await assertBaseTagFree(trx, { agendaItemId: input.item.id }, baseTag)
      const document = await TextDocument.create(
        {
          organisationId: input.item.organisationId,
          meetingId: input.item.meetingId,
          agendaItemId: input.item.id,
          title: input.fields.title.trim(),
          body: input.fields.body,
          baseTag,
          authorId: input.authorId,
          rev: 1,
        },
        { client: trx }
      )
      const paragraphs = await writeParagraphs(trx, document)
      await storeVersion(trx, document, input.actor.userId)
      await recordAudit(trx, input.actor, {
        organisationId: document.organisationId,
        meetingId: document.meetingId,
        agendaItemId: document.agendaItemId,
        action: 'create',
        event: 'text_document.created',
        model: 'TextDocument',
        objectId: document.id,
        changes: diffFields({}, textDocumentAuditState(document), textDocumentTrackedFields),
      })
      publishAfterCommit(trx, [changedMessage(document, paragraphs, input.actor.requestId ?? null)])
      return { document, paragraphs }
    })
  }

  async update(input: { document: TextDocument; fields: TextDocumentFields; actor: Actor }) {
    return db.transaction(async (trx) => {
      const document = await TextDocument.forOrganisation(input.document.organisationId)
        .where('id', input.document.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!document) throw notFound('No such text document')
      // Re-checked under the row lock: an amendment may have arrived since the policy ran.
      if (await documentHasAmendments(document, trx)) throw permissionDenied('text_document.change')
      const before = textDocumentAuditState(document)
      if (input.fields.title !== undefined) document.title = input.fields.title.trim()
      if (input.fields.baseTag !== undefined) {
        const baseTag = input.fields.baseTag.trim().toLowerCase()
        if (baseTag !== document.baseTag) await assertBaseTagFree(trx, document, baseTag)
        document.baseTag = baseTag
      }
      const bodyChanged = input.fields.body !== undefined && input.fields.body !== document.body
      if (input.fields.body !== undefined) document.body = input.fields.body
      const changes = diffFields(
        before,
        textDocumentAuditState(document),
        textDocumentTrackedFields
      )
      let paragraphs = await TextParagraph.forOrganisation(document.organisationId)
        .where('text_document_id', document.id)
        .useTransaction(trx)
      if (Object.keys(changes).length === 0) return { document, paragraphs }
      document.rev += 1
      await document.useTransaction(trx).save()
      if (bodyChanged) {
        paragraphs = await writeParagraphs(trx, document)
        await storeVersion(trx, document, input.actor.userId)
      }
      await recordAudit(trx, input.actor, {
        organisationId: document.organisationId,
        meetingId: document.meetingId,
        agendaItemId: document.agendaItemId,
        action: 'update',
        event: 'text_document.updated',
        model: 'TextDocument',
        objectId: document.id,
        changes,
      })
      publishAfterCommit(trx, [changedMessage(document, paragraphs, input.actor.requestId ?? null)])
      return { document, paragraphs }
    })
  }

  async delete(input: { document: TextDocument; actor: Actor }) {
    await db.transaction(async (trx) => {
      const document = await TextDocument.forOrganisation(input.document.organisationId)
        .where('id', input.document.id)
        .useTransaction(trx)
        .forUpdate()
        .first()
      if (!document) throw notFound('No such text document')
      if (await documentHasAmendments(document, trx)) throw permissionDenied('text_document.delete')
      await document.useTransaction(trx).delete()
      await recordAudit(trx, input.actor, {
        organisationId: document.organisationId,
        meetingId: document.meetingId,
        agendaItemId: document.agendaItemId,
        action: 'delete',
        event: 'text_document.deleted',
        model: 'TextDocument',
        objectId: document.id,
        changes: diffFields(textDocumentAuditState(document), {}, textDocumentTrackedFields),
      })
      publishAfterCommit(trx, [
        {
          channel: channels.agendaItem(document.meetingId, document.agendaItemId),
          type: 'text_document.deleted',
          data: { id: document.id, rev: document.rev + 1, meeting: document.meetingId },
          rid: input.actor.requestId ?? null,
        },
      ])
    })
  }
}
