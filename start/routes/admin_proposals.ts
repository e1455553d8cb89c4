/*
| Admin screens for proposals and discussion (moderators): bulk proposal
| state changes, post deletion, export links.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const AdminProposalsController = () => import('#controllers/admin/proposals_controller')
const id = router.matchers.number()

router
  .group(() => {
    router.get('proposals', [AdminProposalsController, 'index']).as('proposals.index')
    router
      .get('proposals/meetings/:id', [AdminProposalsController, 'show'])
      .as('proposals.show')
      .where('id', id)
    router
      .post('proposals/meetings/:id/bulk-state', [AdminProposalsController, 'bulkState'])
      .as('proposals.bulk_state')
      .where('id', id)
    router
      .post('proposals/posts/:id/delete', [AdminProposalsController, 'deletePost'])
      .as('proposals.posts.delete')
      .where('id', id)
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
