/*
| Admin screens for meetings (issue 5 item 9): the meetings hub, participants and
| roles, the agenda editor and invitations. docs/admin.md "Meetings".
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const Meetings = () => import('#controllers/admin/meetings_controller')
const Agenda = () => import('#controllers/admin/meeting_agenda_controller')
const Invitations = () => import('#controllers/admin/meeting_invitations_controller')
const Groups = () => import('#controllers/admin/meeting_groups_controller')
const id = router.matchers.number()

router
  .group(() => {
    router.get('meetings', [Meetings, 'index']).as('meetings.index')
    router.get('meetings/new', [Meetings, 'create']).as('meetings.create')
    router.post('meetings', [Meetings, 'store']).as('meetings.store')
    router.get('meetings/:id', [Meetings, 'show']).as('meetings.show').where('id', id)
    router.post('meetings/:id', [Meetings, 'update']).as('meetings.update').where('id', id)
    router.post('meetings/:id/event', [Meetings, 'fire']).as('meetings.fire').where('id', id)
    router
      .get('meetings/:id/participants', [Meetings, 'participants'])
      .as('meetings.participants')
      .where('id', id)
    router
      .post('meetings/:id/participants', [Meetings, 'addParticipant'])
      .as('meetings.participants.add')
      .where('id', id)
    router
      .post('meetings/:id/participants/roles', [Meetings, 'roles'])
      .as('meetings.participants.roles')
      .where('id', id)

    router.get('meetings/:id/agenda', [Agenda, 'index']).as('meetings.agenda').where('id', id)
    router
      .post('meetings/:id/agenda', [Agenda, 'store'])
      .as('meetings.agenda.store')
      .where('id', id)
    router
      .post('meetings/:id/agenda/bulk', [Agenda, 'bulk'])
      .as('meetings.agenda.bulk')
      .where('id', id)
    router
      .post('meetings/:id/agenda/delete', [Agenda, 'destroy'])
      .as('meetings.agenda.delete')
      .where('id', id)
    router
      .get('meetings/:id/agenda/:item', [Agenda, 'edit'])
      .as('meetings.agenda.edit')
      .where('id', id)
      .where('item', id)
    router
      .post('meetings/:id/agenda/:item', [Agenda, 'update'])
      .as('meetings.agenda.update')
      .where('id', id)
      .where('item', id)
    router
      .post('meetings/:id/agenda/:item/move', [Agenda, 'move'])
      .as('meetings.agenda.move')
      .where('id', id)
      .where('item', id)
    router
      .post('meetings/:id/agenda/:item/event', [Agenda, 'fire'])
      .as('meetings.agenda.fire')
      .where('id', id)
      .where('item', id)

    router
      .get('meetings/:id/invitations', [Invitations, 'index'])
      .as('meetings.invitations')
      .where('id', id)
    router
      .post('meetings/:id/invitations', [Invitations, 'store'])
      .as('meetings.invitations.store')
      .where('id', id)
    router
      .post('meetings/:id/invitations/import', [Invitations, 'import'])
      .as('meetings.invitations.import')
      .where('id', id)
    router
      .post('meetings/:id/invitations/:invite/revoke', [Invitations, 'revoke'])
      .as('meetings.invitations.revoke')
      .where('id', id)
      .where('invite', id)

    router.get('meetings/:id/groups', [Groups, 'index']).as('meetings.groups').where('id', id)
    router
      .post('meetings/:id/groups', [Groups, 'store'])
      .as('meetings.groups.store')
      .where('id', id)
    router
      .get('meetings/:id/groups/:group', [Groups, 'show'])
      .as('meetings.groups.show')
      .where('id', id)
      .where('group', id)
    router
      .post('meetings/:id/groups/:group', [Groups, 'update'])
      .as('meetings.groups.update')
      .where('id', id)
      .where('group', id)
    router
      .post('meetings/:id/groups/:group/delete', [Groups, 'destroy'])
      .as('meetings.groups.delete')
      .where('id', id)
      .where('group', id)
    router
      .post('meetings/:id/groups/:group/weights', [Groups, 'setWeights'])
      .as('meetings.groups.weights')
      .where('id', id)
      .where('group', id)
    router
      .post('meetings/:id/groups/:group/members', [Groups, 'addMember'])
      .as('meetings.groups.members.add')
      .where('id', id)
      .where('group', id)
    router
      .post('meetings/:id/groups/:group/members/:membership/delete', [Groups, 'removeMember'])
      .as('meetings.groups.members.delete')
      .where('id', id)
      .where('group', id)
      .where('membership', id)
  })
  .prefix('/admin')
  .as('admin')
  .use(middleware.adminAuth())
