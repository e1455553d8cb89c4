/*
 | Admin screens of the integrations area (docs/integrations.md): meeting API keys.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ApiKeys = () => import('#controllers/admin/api_keys_controller')
const meeting = /^\d+$/

router
  .group(() => {
    router.get('api-keys', [ApiKeys, 'index']).as('api_keys.index')
    router
      .get('meetings/:meeting/api-keys', [ApiKeys, 'show'])
      .as('api_keys.show')
      .where('meeting', meeting)
    router
      .post('meetings/:meeting/api-keys', [ApiKeys, 'store'])
      .as('api_keys.store')
      .where('meeting', meeting)
    router
      .post('meetings/:meeting/api-keys/:prefix/revoke', [ApiKeys, 'revoke'])
      .as('api_keys.revoke')
      .where('meeting', meeting)
    router
      .post('meetings/:meeting/api-keys/:prefix/cycle', [ApiKeys, 'cycle'])
      .as('api_keys.cycle')
      .where('meeting', meeting)
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
