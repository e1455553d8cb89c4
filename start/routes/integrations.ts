/*
 | Integrations (docs/integrations.md): provider logins (OIDC), their API
 | helpers, meeting API keys and the token API, and the OpenAPI document.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ProviderLogin = () => import('#controllers/auth/provider_login_controller')
const LoginLinks = () => import('#controllers/api/login_links_controller')

const id = router.matchers.number()

// Browser redirects of the login flow (api.md §3.2), on the organisation host.
router
  .group(() => {
    router.get(':provider/redirect', [ProviderLogin, 'redirect']).as('redirect')
    router.get(':provider/callback', [ProviderLogin, 'callback']).as('callback')
  })
  .prefix('/auth')
  .as('auth.provider')

router
  .group(() => {
    // Anonymous
    router.get('user/messages', [LoginLinks, 'messages']).as('user.messages')
    router.get('account-link-options', [LoginLinks, 'options']).as('account_link_options.index')
    router
      .post('account-link-options/choose', [LoginLinks, 'choose'])
      .as('account_link_options.choose')

    // Authenticated
    router
      .group(() => {
        router.get('user/connections', [LoginLinks, 'connections']).as('user.connections.index')
        router
          .post('user/connections/:id/disconnect', [LoginLinks, 'disconnect'])
          .as('user.connections.disconnect')
          .where('id', id)
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())
