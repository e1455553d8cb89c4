import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { loginThrottleByIp } from '#start/limiter'
import { controllers } from '#generated/controllers'

const id = router.matchers.number()

router
  .group(() => {
    // Anonymous
    router.get('organisation', [controllers.api.Organisation, 'show']).as('organisation.show')
    router
      .post('auth/login', [controllers.api.Session, 'store'])
      .as('auth.login')
      .use(loginThrottleByIp)

    // Authenticated (browser login or bearer token)
    router
      .group(() => {
        router.get('user', [controllers.api.CurrentUser, 'show']).as('user.show')
        router
          .patch('user/:id', [controllers.api.CurrentUser, 'update'])
          .as('user.update')
          .where('id', id)
        router.post('user/logout', [controllers.api.Session, 'destroy']).as('user.logout')
        router
          .post('user/password', [controllers.api.CurrentUser, 'changePassword'])
          .as('user.password')

        router.get('auth/tokens', [controllers.api.AccessTokens, 'index']).as('tokens.index')
        router.post('auth/tokens', [controllers.api.AccessTokens, 'store']).as('tokens.store')
        router
          .delete('auth/tokens/:id', [controllers.api.AccessTokens, 'destroy'])
          .as('tokens.destroy')
          .where('id', id)

        router
          .patch('organisation', [controllers.api.Organisation, 'update'])
          .as('organisation.update')
        router
          .get('organisation-roles', [controllers.api.OrganisationRoles, 'index'])
          .as('organisation_roles.index')
        router
          .get('organisation-roles/available', [controllers.api.OrganisationRoles, 'available'])
          .as('organisation_roles.available')
        router
          .post('organisation-roles/add', [controllers.api.OrganisationRoles, 'add'])
          .as('organisation_roles.add')
        router
          .post('organisation-roles/remove', [controllers.api.OrganisationRoles, 'remove'])
          .as('organisation_roles.remove')

        router.get('users', [controllers.api.Users, 'index']).as('users.index')
        router
          .get('audit-entries', [controllers.api.AuditEntries, 'index'])
          .as('audit_entries.index')
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())

// Unknown API paths answer JSON 404 rather than the admin's HTML page.
router
  .any('/api/*', () => {
    throw Object.assign(new Error('Not found'), { status: 404 })
  })
  .as('api.not_found')
