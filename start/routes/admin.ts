import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { loginThrottleByIp } from '#start/limiter'
import { controllers } from '#generated/controllers'

router
  .group(() => {
    router.get('login', [controllers.admin.Session, 'create']).as('login')
    router.post('login', [controllers.admin.Session, 'store']).as('login.store').use(loginThrottleByIp)

    router
      .group(() => {
        router.get('/', [controllers.admin.Dashboard, 'show']).as('dashboard')
        router.post('logout', [controllers.admin.Session, 'destroy']).as('logout')
      })
      .use(middleware.adminAuth())
  })
  .prefix('/admin')
  .as('admin')
