/*
 | Admin screens of the integrations area (docs/integrations.md): meeting API keys
 | and the organisation's login providers.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ApiKeys = () => import('#controllers/admin/api_keys_controller')
const LoginProviders = () => import('#controllers/admin/login_providers_controller')
const numeric = /^\d+$/

router
  .group(() => {
    router.get('api-keys', [ApiKeys, 'index']).as('api_keys.index')
    router
      .get('meetings/:meeting/api-keys', [ApiKeys, 'show'])
      .as('api_keys.show')
      .where('meeting', numeric)
    router
      .post('meetings/:meeting/api-keys', [ApiKeys, 'store'])
      .as('api_keys.store')
      .where('meeting', numeric)
    router
      .post('meetings/:meeting/api-keys/:prefix/revoke', [ApiKeys, 'revoke'])
      .as('api_keys.revoke')
      .where('meeting', numeric)
    router
      .post('meetings/:meeting/api-keys/:prefix/cycle', [ApiKeys, 'cycle'])
      .as('api_keys.cycle')
      .where('meeting', numeric)

    router.get('login-providers', [LoginProviders, 'index']).as('login_providers.index')
    router.get('login-providers/new', [LoginProviders, 'create']).as('login_providers.create')
    router.post('login-providers', [LoginProviders, 'store']).as('login_providers.store')
    router
      .get('login-providers/:id/edit', [LoginProviders, 'edit'])
      .as('login_providers.edit')
      .where('id', numeric)
    router
      .post('login-providers/:id', [LoginProviders, 'update'])
      .as('login_providers.update')
      .where('id', numeric)
    router
      .post('login-providers/:id/delete', [LoginProviders, 'destroy'])
      .as('login_providers.destroy')
      .where('id', numeric)
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
