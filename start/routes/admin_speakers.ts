/*
| Web pages of the speaker area: the room projector (read-only, for any user
| who may view the room) and the admin screens for speaker lists.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ProjectorController = () => import('#controllers/web/projector_controller')

router
  .get('/projector/rooms/:id', [ProjectorController, 'show'])
  .as('projector.room')
  .where('id', router.matchers.number())
  .use(middleware.adminAuth())

const AdminSpeakersController = () => import('#controllers/admin/speakers_controller')
const id = router.matchers.number()

router
  .group(() => {
    router.get('speakers', [AdminSpeakersController, 'index']).as('speakers.index')
    router
      .get('speakers/systems/:id', [AdminSpeakersController, 'show'])
      .as('speakers.show')
      .where('id', id)
    router
      .post('speakers/systems/:id/active', [AdminSpeakersController, 'setActive'])
      .as('speakers.active')
      .where('id', id)
    router.post('speakers/lists', [AdminSpeakersController, 'storeList']).as('speakers.lists.store')
    router
      .post('speakers/lists/:id/event', [AdminSpeakersController, 'listEvent'])
      .as('speakers.lists.event')
      .where('id', id)
    router
      .post('speakers/lists/:id/next', [AdminSpeakersController, 'next'])
      .as('speakers.lists.next')
      .where('id', id)
    router
      .post('speakers/lists/:id/shuffle', [AdminSpeakersController, 'shuffle'])
      .as('speakers.lists.shuffle')
      .where('id', id)
    router
      .post('speakers/turns/:id', [AdminSpeakersController, 'turn'])
      .as('speakers.turns.action')
      .where('id', id)
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
