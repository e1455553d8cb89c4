/*
| Proposals, amendments, text documents, discussion, reactions, notes and their
| exports (api.md §6.10, §6.12, §6.17, §6.18). Same group structure as api.ts.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ProposalsController = () => import('#controllers/api/proposals_controller')
const TextDocumentsController = () => import('#controllers/api/text_documents_controller')
const DiscussionPostsController = () => import('#controllers/api/discussion_posts_controller')
const ReactionsController = () => import('#controllers/api/reactions_controller')
const NotesController = () => import('#controllers/api/notes_controller')
const ContentExportsController = () => import('#controllers/api/content_exports_controller')

const id = router.matchers.number()

router
  .group(() => {
    // Anonymous allowed: content of public meetings (domain §7.7)
    router
      .group(() => {
        router.get('proposals', [ProposalsController, 'index']).as('proposals.index')
        router
          .get('proposals/:id', [ProposalsController, 'show'])
          .as('proposals.show')
          .where('id', id)
        router
          .get('proposals/:id/versions', [ProposalsController, 'versions'])
          .as('proposals.versions')
          .where('id', id)
        router
          .get('proposals/:id/diff', [ProposalsController, 'diff'])
          .as('proposals.diff')
          .where('id', id)
        router
          .get('proposals/:id/event', [ProposalsController, 'events'])
          .as('proposals.events')
          .where('id', id)
        router.get('text-documents', [TextDocumentsController, 'index']).as('text_documents.index')
        router
          .get('text-documents/:id', [TextDocumentsController, 'show'])
          .as('text_documents.show')
          .where('id', id)
        router
          .get('text-documents/:id/versions', [TextDocumentsController, 'versions'])
          .as('text_documents.versions')
          .where('id', id)
        router
          .get('text-documents/:id/diff', [TextDocumentsController, 'diff'])
          .as('text_documents.diff')
          .where('id', id)
        router
          .get('discussion-posts', [DiscussionPostsController, 'index'])
          .as('discussion_posts.index')
        router
          .get('discussion-posts/:id', [DiscussionPostsController, 'show'])
          .as('discussion_posts.show')
          .where('id', id)
      })
      .use(middleware.auth({ optional: true }))

    // Authenticated
    router
      .group(() => {
        router.post('proposals/preview', [ProposalsController, 'preview']).as('proposals.preview')
        router.post('proposals', [ProposalsController, 'store']).as('proposals.store')
        router
          .patch('proposals/:id', [ProposalsController, 'update'])
          .as('proposals.update')
          .where('id', id)
        router
          .delete('proposals/:id', [ProposalsController, 'destroy'])
          .as('proposals.destroy')
          .where('id', id)
        router
          .post('proposals/:id/event', [ProposalsController, 'fire'])
          .as('proposals.fire')
          .where('id', id)

        router.post('text-documents', [TextDocumentsController, 'store']).as('text_documents.store')
        router
          .patch('text-documents/:id', [TextDocumentsController, 'update'])
          .as('text_documents.update')
          .where('id', id)
        router
          .delete('text-documents/:id', [TextDocumentsController, 'destroy'])
          .as('text_documents.destroy')
          .where('id', id)

        router
          .post('discussion-posts', [DiscussionPostsController, 'store'])
          .as('discussion_posts.store')
        router
          .patch('discussion-posts/:id', [DiscussionPostsController, 'update'])
          .as('discussion_posts.update')
          .where('id', id)
        router
          .delete('discussion-posts/:id', [DiscussionPostsController, 'destroy'])
          .as('discussion_posts.destroy')
          .where('id', id)

        router.get('reaction-buttons', [ReactionsController, 'index']).as('reaction_buttons.index')
        router.post('reaction-buttons', [ReactionsController, 'store']).as('reaction_buttons.store')
        router
          .patch('reaction-buttons/:id', [ReactionsController, 'update'])
          .as('reaction_buttons.update')
          .where('id', id)
        router
          .delete('reaction-buttons/:id', [ReactionsController, 'destroy'])
          .as('reaction_buttons.destroy')
          .where('id', id)
        router
          .post('reaction-buttons/:id/set', [ReactionsController, 'set'])
          .as('reaction_buttons.set')
          .where('id', id)
        router
          .post('reaction-buttons/:id/remove', [ReactionsController, 'remove'])
          .as('reaction_buttons.remove')
          .where('id', id)
        router
          .get('reaction-buttons/:id/reactions', [ReactionsController, 'reactions'])
          .as('reaction_buttons.reactions')
          .where('id', id)

        router.get('notes', [NotesController, 'index']).as('notes.index')
        router.post('notes', [NotesController, 'store']).as('notes.store')
        router.post('notes/delete-all', [NotesController, 'deleteAll']).as('notes.delete_all')
        router.patch('notes/:id', [NotesController, 'update']).as('notes.update').where('id', id)
        router.delete('notes/:id', [NotesController, 'destroy']).as('notes.destroy').where('id', id)

        router
          .get('exports/proposals/:id', [ContentExportsController, 'proposals'])
          .as('exports.proposals')
          .where('id', id)
        router
          .get('exports/discussion-posts/:id', [ContentExportsController, 'discussionPosts'])
          .as('exports.discussion_posts')
          .where('id', id)
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())

const { registerContentHooks } = await import('#services/content_hooks')
registerContentHooks()

const { registerContentSections } = await import('#realtime/content_sections')
registerContentSections()
