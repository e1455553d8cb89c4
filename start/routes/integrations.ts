/*
 | Integrations (docs/integrations.md): provider logins (OIDC), their API
 | helpers, meeting API keys and the token API, and the OpenAPI document.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { tokenApi } from '#middleware/api_key_middleware'
import { loginThrottleByIp } from '#start/limiter'

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
  // Same budget per address as password logins (api.md §3.2).
  .use(loginThrottleByIp)

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

const OpenApi = () => import('#controllers/openapi_controller')

// The OpenAPI document (anonymous) and, outside production, a browsable page.
router.get('/api/openapi.json', [OpenApi, 'show']).as('api.openapi')
router.get('/api-docs', [OpenApi, 'page']).as('api_docs')

const MeetingApiKeys = () => import('#controllers/api/meeting_api_keys_controller')
const TokenApi = () => import('#controllers/api/token_api_controller')

router
  .group(() => {
    // Meeting API key management (api.md §6.22). The scope list is public.
    router.get('meeting-api-keys/scopes', [MeetingApiKeys, 'scopes']).as('meeting_api_keys.scopes')
    router
      .group(() => {
        router.get('meeting-api-keys', [MeetingApiKeys, 'index']).as('meeting_api_keys.index')
        router.post('meeting-api-keys', [MeetingApiKeys, 'store']).as('meeting_api_keys.store')
        router.get('meeting-api-keys/:prefix', [MeetingApiKeys, 'show']).as('meeting_api_keys.show')
        router
          .delete('meeting-api-keys/:prefix', [MeetingApiKeys, 'destroy'])
          .as('meeting_api_keys.destroy')
        router
          .post('meeting-api-keys/:prefix/cycle', [MeetingApiKeys, 'cycle'])
          .as('meeting_api_keys.cycle')
      })
      .use(middleware.auth())

    // The token API (api.md §6.23): each operation names its scope.
    router
      .get('token-api/meeting', [TokenApi, 'meeting'])
      .as('token_api.meeting')
      .use(tokenApi({ scope: 'meeting.list', read: true }))
    router
      .get('token-api/invites', [TokenApi, 'invites'])
      .as('token_api.invites.index')
      .use(tokenApi({ scope: 'invites.list', read: true }))
    router
      .post('token-api/invites', [TokenApi, 'createInvites'])
      .as('token_api.invites.store')
      .use(tokenApi({ scope: 'invites.create', read: false }))
    router
      .get('token-api/invites/:id', [TokenApi, 'invite'])
      .as('token_api.invites.show')
      .where('id', id)
      .use(tokenApi({ scope: 'invites.retrieve', read: true }))
    router
      .delete('token-api/invites/:id', [TokenApi, 'destroyInvite'])
      .as('token_api.invites.destroy')
      .where('id', id)
      .use(tokenApi({ scope: 'invites.destroy', read: false }))
    router
      .post('token-api/invites/:id/add-roles', [TokenApi, 'addRoles'])
      .as('token_api.invites.add_roles')
      .where('id', id)
      .use(tokenApi({ scope: 'invites.add_roles', read: false }))
    router
      .post('token-api/invites/:id/remove-roles', [TokenApi, 'removeRoles'])
      .as('token_api.invites.remove_roles')
      .where('id', id)
      .use(tokenApi({ scope: 'invites.remove_roles', read: false }))
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())
