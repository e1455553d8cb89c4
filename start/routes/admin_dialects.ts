/*
 | Admin screen for dialects (docs/dialects.md): list and import (api.md §11.7 "admin upload").
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const Dialects = () => import('#controllers/admin/dialects_controller')

router
  .group(() => {
    router.get('dialects', [Dialects, 'index']).as('dialects.index')
    router.post('dialects', [Dialects, 'store']).as('dialects.store')
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
