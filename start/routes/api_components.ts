/*
| Meeting components and component types (api.md §6.7).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { registerComponentSections } from '#services/component_realtime'

const MeetingComponentsController = () => import('#controllers/api/meeting_components_controller')

registerComponentSections()

const id = router.matchers.number()

router
  .group(() => {
    router
      .get('component-types', [MeetingComponentsController, 'types'])
      .as('component_types.index')
    router
      .get('meeting-components', [MeetingComponentsController, 'index'])
      .as('meeting_components.index')
    router
      .post('meeting-components', [MeetingComponentsController, 'store'])
      .as('meeting_components.store')
    router
      .patch('meeting-components/:id', [MeetingComponentsController, 'update'])
      .as('meeting_components.update')
      .where('id', id)
    router
      .delete('meeting-components/:id', [MeetingComponentsController, 'destroy'])
      .as('meeting_components.destroy')
      .where('id', id)
  })
  .prefix('/api')
  .as('api')
  .use([middleware.apiCsrf(), middleware.auth()])
