/*
| Meetings, meeting roles, groups and the agenda (api.md §6.1, §6.4–§6.6, §6.9).
| Same group structure as api.ts: prefix /api, apiCsrf, auth for authenticated routes.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const StateMachinesController = () => import('#controllers/api/state_machines_controller')
const MeetingsController = () => import('#controllers/api/meetings_controller')
const MeetingRolesController = () => import('#controllers/api/meeting_roles_controller')
const AgendaItemsController = () => import('#controllers/api/agenda_items_controller')
const MeetingGroupsController = () => import('#controllers/api/meeting_groups_controller')
const GroupMembershipsController = () => import('#controllers/api/group_memberships_controller')
const GroupRolesController = () => import('#controllers/api/group_roles_controller')

const id = router.matchers.number()

router
  .group(() => {
    // Anonymous
    router.get('state-machines', [StateMachinesController, 'index']).as('state_machines.index')
    router.get('state-machines/:name', [StateMachinesController, 'show']).as('state_machines.show')

    // Anonymous allowed: public meetings and their non-private agenda (domain §7.7)
    router
      .group(() => {
        router.get('meetings', [MeetingsController, 'index']).as('meetings.index')
        router.get('meetings/:id', [MeetingsController, 'show']).as('meetings.show').where('id', id)
        router
          .get('meetings/:id/event', [MeetingsController, 'events'])
          .as('meetings.events')
          .where('id', id)
        router.get('agenda-items', [AgendaItemsController, 'index']).as('agenda_items.index')
        router
          .get('agenda-items/:id', [AgendaItemsController, 'show'])
          .as('agenda_items.show')
          .where('id', id)
        router
          .get('agenda-items/:id/event', [AgendaItemsController, 'events'])
          .as('agenda_items.events')
          .where('id', id)
      })
      .use(middleware.auth({ optional: true }))

    // Authenticated
    router
      .group(() => {
        router.post('meetings', [MeetingsController, 'store']).as('meetings.store')
        router
          .patch('meetings/:id', [MeetingsController, 'update'])
          .as('meetings.update')
          .where('id', id)
        router
          .post('meetings/:id/event', [MeetingsController, 'fire'])
          .as('meetings.fire')
          .where('id', id)
        router
          .post('meetings/:id/agenda-order', [MeetingsController, 'agendaOrder'])
          .as('meetings.agenda_order')
          .where('id', id)

        router.get('meeting-roles', [MeetingRolesController, 'index']).as('meeting_roles.index')
        router
          .get('meeting-roles/available', [MeetingRolesController, 'available'])
          .as('meeting_roles.available')
        router.post('meeting-roles/add', [MeetingRolesController, 'add']).as('meeting_roles.add')
        router
          .post('meeting-roles/remove', [MeetingRolesController, 'remove'])
          .as('meeting_roles.remove')

        router.post('agenda-items', [AgendaItemsController, 'store']).as('agenda_items.store')
        router
          .post('agenda-items/bulk-change', [AgendaItemsController, 'bulkChange'])
          .as('agenda_items.bulk_change')
        router
          .post('agenda-items/bulk-delete', [AgendaItemsController, 'bulkDelete'])
          .as('agenda_items.bulk_delete')
        router
          .patch('agenda-items/:id', [AgendaItemsController, 'update'])
          .as('agenda_items.update')
          .where('id', id)
        router
          .delete('agenda-items/:id', [AgendaItemsController, 'destroy'])
          .as('agenda_items.destroy')
          .where('id', id)
        router
          .post('agenda-items/:id/event', [AgendaItemsController, 'fire'])
          .as('agenda_items.fire')
          .where('id', id)
        router
          .post('agenda-items/:id/mark-read', [AgendaItemsController, 'markRead'])
          .as('agenda_items.mark_read')
          .where('id', id)
        router.get('last-read', [AgendaItemsController, 'lastRead']).as('last_read.index')

        router.get('meeting-groups', [MeetingGroupsController, 'index']).as('meeting_groups.index')
        router.post('meeting-groups', [MeetingGroupsController, 'store']).as('meeting_groups.store')
        router
          .post('meeting-groups/bulk-create', [MeetingGroupsController, 'bulkCreate'])
          .as('meeting_groups.bulk_create')
        router
          .post('meeting-groups/bulk-delete', [MeetingGroupsController, 'bulkDelete'])
          .as('meeting_groups.bulk_delete')
        router
          .get('meeting-groups/:id', [MeetingGroupsController, 'show'])
          .as('meeting_groups.show')
          .where('id', id)
        router
          .patch('meeting-groups/:id', [MeetingGroupsController, 'update'])
          .as('meeting_groups.update')
          .where('id', id)
        router
          .delete('meeting-groups/:id', [MeetingGroupsController, 'destroy'])
          .as('meeting_groups.destroy')
          .where('id', id)
        router
          .post('meeting-groups/:id/sfs-delegation-voters', [
            MeetingGroupsController,
            'sfsDelegationVoters',
          ])
          .as('meeting_groups.sfs_delegation_voters')
          .where('id', id)

        router
          .get('group-memberships', [GroupMembershipsController, 'index'])
          .as('group_memberships.index')
        router
          .post('group-memberships', [GroupMembershipsController, 'store'])
          .as('group_memberships.store')
        router
          .patch('group-memberships/:id', [GroupMembershipsController, 'update'])
          .as('group_memberships.update')
          .where('id', id)
        router
          .delete('group-memberships/:id', [GroupMembershipsController, 'destroy'])
          .as('group_memberships.destroy')
          .where('id', id)

        router.get('group-roles', [GroupRolesController, 'index']).as('group_roles.index')
        router.post('group-roles', [GroupRolesController, 'store']).as('group_roles.store')
        router
          .patch('group-roles/:id', [GroupRolesController, 'update'])
          .as('group_roles.update')
          .where('id', id)
        router
          .delete('group-roles/:id', [GroupRolesController, 'destroy'])
          .as('group_roles.destroy')
          .where('id', id)
      })
      .use(middleware.auth())
  })
  .prefix('/api')
  .as('api')
  .use(middleware.apiCsrf())
