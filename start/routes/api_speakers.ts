/*
| Speaker systems, lists, turns, speaker-system roles, time budgets, history,
| exports and rooms (api.md §6.4, §6.15, §6.16, §6.18, §11.4).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { registerSpeakerHooks } from '#services/speaker_hooks'
import { registerSpeakerChannels } from '#services/speaker_realtime'

const SpeakerSystemsController = () => import('#controllers/api/speaker_systems_controller')
const SpeakerListsController = () => import('#controllers/api/speaker_lists_controller')
const SpeakersController = () => import('#controllers/api/speakers_controller')
const SpeakerSystemRolesController = () =>
  import('#controllers/api/speaker_system_roles_controller')
const RoomsController = () => import('#controllers/api/rooms_controller')

registerSpeakerHooks()
registerSpeakerChannels()

const id = router.matchers.number()

router
  .group(() => {
    router
      .get('speaker-list-systems', [SpeakerSystemsController, 'index'])
      .as('speaker_systems.index')
    router
      .post('speaker-list-systems', [SpeakerSystemsController, 'store'])
      .as('speaker_systems.store')
    router
      .get('speaker-list-systems/:id', [SpeakerSystemsController, 'show'])
      .as('speaker_systems.show')
      .where('id', id)
    router
      .patch('speaker-list-systems/:id', [SpeakerSystemsController, 'update'])
      .as('speaker_systems.update')
      .where('id', id)
    router
      .delete('speaker-list-systems/:id', [SpeakerSystemsController, 'destroy'])
      .as('speaker_systems.destroy')
      .where('id', id)
    router
      .get('speaker-list-systems/:id/event', [SpeakerSystemsController, 'events'])
      .as('speaker_systems.events')
      .where('id', id)
    router
      .post('speaker-list-systems/:id/event', [SpeakerSystemsController, 'fire'])
      .as('speaker_systems.fire')
      .where('id', id)
    // api.md §11.4 names the path speaker-systems; the long form is accepted as well.
    for (const prefix of ['speaker-systems', 'speaker-list-systems']) {
      router
        .get(`${prefix}/:id/time-budgets`, [SpeakerSystemsController, 'budgets'])
        .as(`${prefix}.budgets`)
        .where('id', id)
      router
        .put(`${prefix}/:id/time-budgets`, [SpeakerSystemsController, 'setBudgets'])
        .as(`${prefix}.set_budgets`)
        .where('id', id)
    }

    router.get('speaker-lists', [SpeakerListsController, 'index']).as('speaker_lists.index')
    router.post('speaker-lists', [SpeakerListsController, 'store']).as('speaker_lists.store')
    router
      .get('speaker-lists/:id', [SpeakerListsController, 'show'])
      .as('speaker_lists.show')
      .where('id', id)
    router
      .patch('speaker-lists/:id', [SpeakerListsController, 'update'])
      .as('speaker_lists.update')
      .where('id', id)
    router
      .delete('speaker-lists/:id', [SpeakerListsController, 'destroy'])
      .as('speaker_lists.destroy')
      .where('id', id)
    router
      .get('speaker-lists/:id/event', [SpeakerListsController, 'events'])
      .as('speaker_lists.events')
      .where('id', id)
    router
      .post('speaker-lists/:id/event', [SpeakerListsController, 'fire'])
      .as('speaker_lists.fire')
      .where('id', id)
    router
      .post('speaker-lists/:id/enter', [SpeakerListsController, 'enter'])
      .as('speaker_lists.enter')
      .where('id', id)
    router
      .post('speaker-lists/:id/leave', [SpeakerListsController, 'leave'])
      .as('speaker_lists.leave')
      .where('id', id)
    router
      .post('speaker-lists/:id/next', [SpeakerListsController, 'next'])
      .as('speaker_lists.next')
      .where('id', id)
    router
      .post('speaker-lists/:id/shuffle', [SpeakerListsController, 'shuffle'])
      .as('speaker_lists.shuffle')
      .where('id', id)

    router.get('speakers', [SpeakersController, 'index']).as('speakers.index')
    router.post('speakers', [SpeakersController, 'store']).as('speakers.store')
    router.get('speakers/:id', [SpeakersController, 'show']).as('speakers.show').where('id', id)
    router
      .patch('speakers/:id', [SpeakersController, 'update'])
      .as('speakers.update')
      .where('id', id)
    router
      .delete('speakers/:id', [SpeakersController, 'destroy'])
      .as('speakers.destroy')
      .where('id', id)
    for (const action of ['start', 'stop', 'undo', 'pause', 'resume', 'extend'] as const) {
      router
        .post(`speakers/:id/${action}`, [SpeakersController, action])
        .as(`speakers.${action}`)
        .where('id', id)
    }
    router.get('speaker-history', [SpeakersController, 'history']).as('speaker_history')
    router
      .get('exports/speakers/:id', [SpeakersController, 'export'])
      .as('exports.speakers')
      .where('id', id)

    router
      .get('speaker-system-roles', [SpeakerSystemRolesController, 'index'])
      .as('speaker_system_roles.index')
    router
      .get('speaker-system-roles/available', [SpeakerSystemRolesController, 'available'])
      .as('speaker_system_roles.available')
    router
      .post('speaker-system-roles/add', [SpeakerSystemRolesController, 'add'])
      .as('speaker_system_roles.add')
    router
      .post('speaker-system-roles/remove', [SpeakerSystemRolesController, 'remove'])
      .as('speaker_system_roles.remove')

    router.get('rooms', [RoomsController, 'index']).as('rooms.index')
    router.post('rooms', [RoomsController, 'store']).as('rooms.store')
    router.get('rooms/:id', [RoomsController, 'show']).as('rooms.show').where('id', id)
    router.patch('rooms/:id', [RoomsController, 'update']).as('rooms.update').where('id', id)
    router.delete('rooms/:id', [RoomsController, 'destroy']).as('rooms.destroy').where('id', id)
    router.get('rooms/:id/status', [RoomsController, 'status']).as('rooms.status').where('id', id)
    router
      .get('rooms/:id/projection', [RoomsController, 'projection'])
      .as('rooms.projection')
      .where('id', id)
    router.patch('rooms/:id/handle', [RoomsController, 'handle']).as('rooms.handle').where('id', id)
    router
      .patch('rooms/:id/handle-speaker', [RoomsController, 'handleSpeaker'])
      .as('rooms.handle_speaker')
      .where('id', id)
    router
      .post('rooms/:id/mark-text', [RoomsController, 'markText'])
      .as('rooms.mark_text')
      .where('id', id)
  })
  .prefix('/api')
  .as('api')
  .use([middleware.apiCsrf(), middleware.auth()])
