/*
| Participant tags and participant numbers (api.md §6.7).
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { registerParticipantTags } from '#services/participant_tags'
import { registerParticipantNumbers } from '#services/participant_numbers'

const ParticipantTagsController = () => import('#controllers/api/participant_tags_controller')
const ParticipantNumbersController = () => import('#controllers/api/participant_numbers_controller')

const id = router.matchers.number()

// The gender source of gender_prio, snapshot sections and the leave hook (like api_speakers.ts).
registerParticipantTags()
registerParticipantNumbers()

router
  .group(() => {
    router
      .group(() => {
        router
          .get('meetings/:id/ptags', [ParticipantTagsController, 'show'])
          .as('ptags.show')
          .where('id', id)
        router
          .post('meetings/:id/ptags/set', [ParticipantTagsController, 'set'])
          .as('ptags.set')
          .where('id', id)
        router
          .post('meetings/:id/ptags/remove-ns', [ParticipantTagsController, 'removeNamespaces'])
          .as('ptags.remove_ns')
          .where('id', id)
        router
          .delete('meetings/:id/ptags', [ParticipantTagsController, 'destroy'])
          .as('ptags.destroy')
          .where('id', id)
        router
          .get('participant-numbers', [ParticipantNumbersController, 'index'])
          .as('participant_numbers.index')
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())
