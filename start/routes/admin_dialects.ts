/*
 | Admin screens for dialects (api.md §11.7 "admin upload") and meeting structure files (domain §21);
 | docs/dialects.md.
 */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const Dialects = () => import('#controllers/admin/dialects_controller')
const Structure = () => import('#controllers/admin/meeting_structure_controller')
const numeric = /^\d+$/

router
  .group(() => {
    router.get('dialects', [Dialects, 'index']).as('dialects.index')
    router.post('dialects', [Dialects, 'store']).as('dialects.store')

    // Meeting structure files (domain §21 "admin action")
    router.get('structure', [Structure, 'index']).as('structure.index')
    router
      .get('meetings/:meeting/structure', [Structure, 'show'])
      .as('structure.show')
      .where('meeting', numeric)
    router
      .get('meetings/:meeting/structure/download', [Structure, 'download'])
      .as('structure.download')
      .where('meeting', numeric)
    router
      .post('meetings/:meeting/structure/import', [Structure, 'import'])
      .as('structure.import')
      .where('meeting', numeric)
    router
      .post('meetings/:meeting/clone', [Structure, 'clone'])
      .as('structure.clone')
      .where('meeting', numeric)
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
