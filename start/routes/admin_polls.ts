/*
| Admin screens for polls (moderators): meetings, polls with turnout,
| creation, events, results with STV rounds, registers and exports.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const AdminPollsController = () => import('#controllers/admin/polls_controller')
const id = router.matchers.number()

router
  .group(() => {
    router.get('polls', [AdminPollsController, 'index']).as('polls.index')
    router
      .get('polls/meetings/:id', [AdminPollsController, 'meeting'])
      .as('polls.meeting')
      .where('id', id)
    router
      .post('polls/meetings/:id', [AdminPollsController, 'store'])
      .as('polls.store')
      .where('id', id)
    router.get('polls/:id', [AdminPollsController, 'show']).as('polls.show').where('id', id)
    router.post('polls/:id', [AdminPollsController, 'update']).as('polls.update').where('id', id)
    router.post('polls/:id/event', [AdminPollsController, 'fire']).as('polls.fire').where('id', id)
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
