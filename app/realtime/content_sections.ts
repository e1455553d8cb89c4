import db from '@adonisjs/lucid/services/db'
import Meeting from '#models/meeting'
import TextDocument from '#models/text_document'
import TextParagraph from '#models/text_paragraph'
import DiscussionPost from '#models/discussion_post'
import ReactionButton from '#models/reaction_button'
import Reaction from '#models/reaction'
import Note from '#models/note'
import { batch, registerSection } from '#realtime/snapshot_sections'
import { notesEnabled } from '#services/content'
import { textDocumentPayload } from '#transformers/proposal_transformer'
import {
  discussionPostPayload,
  notePayload,
  reactionButtonPayload,
  reactionPayload,
} from '#transformers/discussion_transformer'

/**
 * Snapshot sections of proposals' neighbours (api.md §7.4, §8.2): on the
 * agenda item channel its text documents, discussion posts and reaction
 * counts (shared), the caller's own reactions and notes (per user); on the
 * meeting channel the reaction buttons. Channel authorisation (who may
 * subscribe to an agenda item) belongs to the realtime layer.
 */
let registered = false

export function registerContentSections() {
  if (registered) return
  registered = true

  registerSection(
    'agendaItem',
    'text_document.documents',
    async ({ organisation, params }) => {
      const documents = await TextDocument.forOrganisation(organisation.id)
        .where('agenda_item_id', params.agendaItemId)
        .orderBy('id')
      const paragraphs = documents.length
        ? await TextParagraph.forOrganisation(organisation.id).whereIn(
            'text_document_id',
            documents.map((document) => document.id)
          )
        : []
      return [
        batch(
          'text_document.changed',
          documents.map((document) =>
            textDocumentPayload(
              document,
              paragraphs.filter((p) => p.textDocumentId === document.id)
            )
          )
        ),
      ]
    },
    { shared: true }
  )

  registerSection(
    'agendaItem',
    'discussion_post.posts',
    async ({ organisation, params }) => {
      const posts = await DiscussionPost.forOrganisation(organisation.id)
        .where('agenda_item_id', params.agendaItemId)
        .orderBy('created_at')
        .orderBy('id')
      return [batch('discussion_post.changed', posts.map(discussionPostPayload))]
    },
    { shared: true }
  )

  registerSection(
    'agendaItem',
    'reaction.counts',
    async ({ organisation, params }) => {
      const rows = await db
        .from('reactions')
        .where('organisation_id', organisation.id)
        .where('agenda_item_id', params.agendaItemId)
        .groupBy('button_id', 'content_type', 'object_id')
        .select('button_id', 'content_type', 'object_id')
        .count('* as total')
      return [
        batch(
          'reaction.count',
          rows.map((row: any) => ({
            meeting: params.meetingId,
            agenda_item: params.agendaItemId,
            content_type: row.content_type,
            object_id: Number(row.object_id),
            button: Number(row.button_id),
            count: Number(row.total),
          }))
        ),
      ]
    },
    { shared: true }
  )

  registerSection('agendaItem', 'reaction.own', async ({ organisation, params, user }) => {
    const rows = await Reaction.forOrganisation(organisation.id)
      .where('agenda_item_id', params.agendaItemId)
      .where('user_id', user.id)
      .orderBy('id')
    return [batch('reaction.changed', rows.map(reactionPayload))]
  })

  registerSection(
    'agendaItem',
    'note.own',
    async ({ organisation, params, user }) => {
      const rows = await Note.forOrganisation(organisation.id)
        .where('agenda_item_id', params.agendaItemId)
        .where('user_id', user.id)
        .orderBy('id')
      return [batch('note.changed', rows.map(notePayload))]
    },
    {
      enabled: async ({ organisation, params }) => {
        const meeting = await Meeting.findInOrganisation(organisation.id, params.meetingId)
        return !!meeting && (await notesEnabled(meeting))
      },
    }
  )

  registerSection(
    'meeting',
    'reaction_button.buttons',
    async ({ organisation, params }) => {
      const buttons = await ReactionButton.forOrganisation(organisation.id)
        .where('meeting_id', params.meetingId)
        .orderBy('order')
        .orderBy('id')
      return [batch('reaction_button.changed', buttons.map(reactionButtonPayload))]
    },
    { shared: true }
  )
}
