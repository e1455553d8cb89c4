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
