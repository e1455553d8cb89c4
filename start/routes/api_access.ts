/*
| Dialects, invitations, access policies and meeting structure export/import (api.md §6.5 dialect
| endpoints, §6.8, §6.11, §6.19, §11.5). Same group structure as api.ts.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { registerInvitationHooks } from '#services/invitation_hooks'
import { registerDialectHooks } from '#services/dialect_hooks'

const MeetingInvitesController = () => import('#controllers/api/meeting_invites_controller')
const MatchedInvitesController = () => import('#controllers/api/matched_invites_controller')
const AccessPoliciesController = () => import('#controllers/api/access_policies_controller')
const MeetingDialectsController = () => import('#controllers/api/meeting_dialects_controller')
const MeetingStructureController = () => import('#controllers/api/meeting_structure_controller')

// Invitations react to meeting role changes and archiving (domain §16.4, §3.6, §16.5).
registerInvitationHooks()
// Dialects are installed by meeting creation and shown in meeting payloads (domain §7.1, §20.3).
registerDialectHooks()

const id = router.matchers.number()

router
  .group(() => {
    // Anonymous: what an invitation link grants (api.md §11.5)
    router
      .get('invites/token-info', [MatchedInvitesController, 'tokenInfo'])
      .as('invites.token_info')

    router
      .group(() => {
        router
          .get('meetings/:id/structure', [MeetingStructureController, 'export'])
          .as('meetings.structure.export')
          .where('id', id)
        router
          .put('meetings/:id/structure', [MeetingStructureController, 'import'])
          .as('meetings.structure.import')
          .where('id', id)
        router
          .post('meetings/:id/clone', [MeetingStructureController, 'clone'])
          .as('meetings.clone')
          .where('id', id)
        router
          .post('meeting-structure/preview', [MeetingStructureController, 'preview'])
          .as('meeting_structure.preview')

        router
          .get('meeting-dialects', [MeetingDialectsController, 'index'])
          .as('meeting_dialects.index')
        router
          .post('meetings/:id/install-dialect', [MeetingDialectsController, 'install'])
          .as('meetings.install_dialect')
          .where('id', id)
        router
          .post('meetings/:id/remove-dialect', [MeetingDialectsController, 'remove'])
          .as('meetings.remove_dialect')
          .where('id', id)

        router
          .get('meeting-invites', [MeetingInvitesController, 'index'])
          .as('meeting_invites.index')
        router
          .post('meeting-invites', [MeetingInvitesController, 'store'])
          .as('meeting_invites.store')
        router
          .post('meeting-invites/import', [MeetingInvitesController, 'import'])
          .as('meeting_invites.import')
        router
          .post('meeting-invites/bulk-delete', [MeetingInvitesController, 'bulkDelete'])
          .as('meeting_invites.bulk_delete')
        router
          .post('meeting-invites/bulk-revoke', [MeetingInvitesController, 'bulkRevoke'])
          .as('meeting_invites.bulk_revoke')
        router
          .post('meeting-invites/clear-annotations', [MeetingInvitesController, 'clearAnnotations'])
          .as('meeting_invites.clear_annotations')
        router
          .get('meeting-invites/:id', [MeetingInvitesController, 'show'])
          .as('meeting_invites.show')
          .where('id', id)
        router
          .get('meeting-invites/:id/event', [MeetingInvitesController, 'events'])
          .as('meeting_invites.events')
          .where('id', id)
        router
          .post('meeting-invites/:id/event', [MeetingInvitesController, 'fire'])
          .as('meeting_invites.fire')
          .where('id', id)
        router
          .get('invite-data-types', [MeetingInvitesController, 'dataTypes'])
          .as('invite_data_types.index')

        router
          .get('matched-invites', [MatchedInvitesController, 'index'])
          .as('matched_invites.index')
        router
          .post('matched-invites/:id/accept', [MatchedInvitesController, 'accept'])
          .as('matched_invites.accept')
          .where('id', id)
        router
          .post('matched-invites/:id/reject', [MatchedInvitesController, 'reject'])
          .as('matched_invites.reject')
          .where('id', id)
        router
          .post('invites/accept-token', [MatchedInvitesController, 'acceptToken'])
          .as('invites.accept_token')

        router
          .get('meetings/:id/access-policies', [AccessPoliciesController, 'index'])
          .as('access_policies.index')
          .where('id', id)
        router
          .post('access-policy-automatic', [AccessPoliciesController, 'store'])
          .as('access_policies.store')
        router
          .patch('access-policy-automatic/:id', [AccessPoliciesController, 'update'])
          .as('access_policies.update')
          .where('id', id)
        router
          .delete('access-policy-automatic/:id', [AccessPoliciesController, 'destroy'])
          .as('access_policies.destroy')
          .where('id', id)
        router
          .post('access-policy-automatic/:id/join', [AccessPoliciesController, 'join'])
          .as('access_policies.join')
          .where('id', id)
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())
