/*
|--------------------------------------------------------------------------
| HTTP kernel
|--------------------------------------------------------------------------
*/
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/container_bindings_middleware'),
  () => import('#middleware/static_files_middleware'),
  () => import('#middleware/detect_user_locale_middleware'),
])

/*
 | Every routed request: body, session and Shield where a browser needs them
 | (browser_session, browser_shield; /api CSRF is checked by api_csrf), request id, tenant
 | resolution, auth and bouncer.
 */
router.use([
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('#middleware/browser_session_middleware'),
  () => import('#middleware/browser_shield_middleware'),
  () => import('#middleware/request_id_middleware'),
  () => import('#middleware/tenant_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  auth: () => import('#middleware/authenticate_middleware'),
  apiCsrf: () => import('#middleware/api_csrf_middleware'),
  adminAuth: () => import('#middleware/admin_auth_middleware'),
})
