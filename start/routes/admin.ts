import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { loginThrottleByIp } from '#start/limiter'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('login', [controllers.admin.Session, 'create']).as('login')
    router
      .post('login', [controllers.admin.Session, 'store'])
      .as('login.store')
      .use(loginThrottleByIp)

    // Every screen below checks its permission with OrganisationPolicy in the controller.
    router
      .group(() => {
        router.get('/', [controllers.admin.Dashboard, 'show']).as('dashboard')
        router.post('logout', [controllers.admin.Session, 'destroy']).as('logout')
        router.get('password', [controllers.admin.Password, 'edit']).as('password.edit')
        router.post('password', [controllers.admin.Password, 'update']).as('password.update')

        router.get('organisation', [controllers.admin.Organisation, 'edit']).as('organisation.edit')
        router
          .post('organisation', [controllers.admin.Organisation, 'update'])
          .as('organisation.update')
        router
          .post('organisation/signing-key/rotate', [
            controllers.admin.Organisation,
            'rotateSigningKey',
          ])
          .as('organisation.signing_key.rotate')

        router.get('users', [controllers.admin.Users, 'index']).as('users.index')
        router.get('users/new', [controllers.admin.Users, 'create']).as('users.create')
        router.post('users', [controllers.admin.Users, 'store']).as('users.store')
        router
          .get('users/:id', [controllers.admin.Users, 'show'])
          .as('users.show')
          .where('id', /^\d+$/)
        router
          .get('users/:id/edit', [controllers.admin.Users, 'edit'])
          .as('users.edit')
          .where('id', /^\d+$/)
        router
          .post('users/:id', [controllers.admin.Users, 'update'])
          .as('users.update')
          .where('id', /^\d+$/)
        router
          .post('users/:id/password', [controllers.admin.Users, 'resetPassword'])
          .as('users.password')
          .where('id', /^\d+$/)
        router
          .post('users/:id/roles', [controllers.admin.Users, 'changeRoles'])
          .as('users.roles')
          .where('id', /^\d+$/)
        router
          .post('users/:id/active', [controllers.admin.Users, 'setActive'])
          .as('users.active')
          .where('id', /^\d+$/)

        router.get('audit', [controllers.admin.Audit, 'index']).as('audit.index')
      })
      .use(middleware.adminAuth())
  })
  .prefix('/admin')
  .as('admin')
