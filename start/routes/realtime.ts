import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { streamAuthentication } from '#realtime/stream_auth'

const RealtimeStream = () => import('#controllers/api/realtime_stream_controller')
const Realtime = () => import('#controllers/api/realtime_controller')
const ActiveUsers = () => import('#controllers/api/active_users_controller')
const id = router.matchers.number()

/*
 | Transmit routes (api.md §7.1). The tenant middleware runs for them like for
 | every routed request (start/kernel.ts); subscribe/unsubscribe need the API
 | authentication and, cookie-authenticated, X-XSRF-TOKEN (apiCsrf). The
 | stream accepts the cookie or a single-use ticket (§3.6).
 */
router
  .group(() => {
    router.get('events', [RealtimeStream, 'events']).use(streamAuthentication).as('events')
    router.post('subscribe', [RealtimeStream, 'subscribe']).use(middleware.auth()).as('subscribe')
    router
      .post('unsubscribe', [RealtimeStream, 'unsubscribe'])
      .use(middleware.auth())
      .as('unsubscribe')
  })
  .prefix('/__transmit')
  .as('transmit')
  .use(middleware.apiCsrf())

/* Realtime helper endpoints (api.md §6.24) and active users (§6.7). */
router
  .group(() => {
    router.get('realtime/versions', [Realtime, 'versions']).as('realtime.versions')
    router
      .group(() => {
        router.get('realtime/snapshot', [Realtime, 'snapshot']).as('realtime.snapshot')
        router.get('realtime/replay', [Realtime, 'replay']).as('realtime.replay')
        router.post('realtime/tickets', [Realtime, 'tickets']).as('realtime.tickets')
        router.post('realtime/heartbeat', [Realtime, 'heartbeat']).as('realtime.heartbeat')

        router
          .get('meetings/:id/active-users', [ActiveUsers, 'index'])
          .as('active_users.index')
          .where('id', id)
        router
          .post('meetings/:id/active-users/active', [ActiveUsers, 'active'])
          .as('active_users.active')
          .where('id', id)
        router
          .post('meetings/:id/active-users/purge', [ActiveUsers, 'purge'])
          .as('active_users.purge')
          .where('id', id)
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())
