import { test } from '@japa/runner'
import {
  addRoles,
  meetingRoles,
  organisationRoles,
  removeRoles,
  meetingRoleAliases,
} from '#domain/permissions/roles'
import {
  canChangeOrganisationRoles,
  canCreateMeeting,
  canManageOrganisation,
  type OrganisationActor,
} from '#domain/permissions/organisation'

test.group('Roles | closure rules (domain §3.1)', () => {
  test('adding {add} to {before} gives {after}')
    .with([
      { before: [], add: ['mo'], after: ['pa', 'mo'] },
      { before: [], add: ['pv', 'di'], after: ['pa', 'pv', 'di'] },
      { before: ['pa'], add: ['pa'], after: ['pa'] },
      { before: ['pa', 'mo'], add: ['pr'], after: ['pa', 'mo', 'pr'] },
    ] as const)
    .run(({ assert }, row) => {
      assert.deepEqual(addRoles(meetingRoles, [...row.before], [...row.add]), [...row.after])
    })

  test('removing {remove} from {before} gives {after}')
    .with([
      { before: ['pa', 'mo', 'pv'], remove: ['pa'], after: [] },
      { before: ['pa', 'mo', 'pv'], remove: ['mo'], after: ['pa', 'pv'] },
      { before: ['pa'], remove: ['di'], after: ['pa'] },
      { before: ['pa', 'di', 'pr'], remove: ['di', 'pr'], after: ['pa'] },
    ] as const)
    .run(({ assert }, row) => {
      assert.deepEqual(removeRoles(meetingRoles, [...row.before], [...row.remove]), [...row.after])
    })

  test('organisation roles require nothing of each other', ({ assert }) => {
    assert.deepEqual(addRoles(organisationRoles, [], ['org_manager']), ['org_manager'])
    assert.deepEqual(
      removeRoles(organisationRoles, ['org_manager', 'meeting_creator'], ['org_manager']),
      ['meeting_creator']
    )
  })

  test('legacy dialect names map to role codes', ({ assert }) => {
    assert.equal(meetingRoleAliases.moderator, 'mo')
    assert.equal(meetingRoleAliases.discuss, 'di')
    assert.equal(meetingRoleAliases.propose, 'pr')
  })
})

test.group('Permissions | organisation predicates (domain §6.1)', () => {
  const actor = (
    roles: OrganisationActor['organisationRoles'],
    organisationId = 1,
    isSuperuser = false
  ): OrganisationActor => ({
    userId: 7,
    organisationId,
    isSuperuser,
    organisationRoles: roles,
  })

  test('managers manage their own organisation only', ({ assert }) => {
    assert.isTrue(canManageOrganisation(actor(['org_manager']), 1))
    assert.isFalse(canManageOrganisation(actor(['org_manager']), 2))
    assert.isFalse(canManageOrganisation(actor(['meeting_creator']), 1))
    assert.isFalse(canManageOrganisation(actor([]), 1))
    assert.isTrue(canManageOrganisation(actor([], 1, true), 1))
  })

  test('role changes only for users of the same organisation', ({ assert }) => {
    assert.isTrue(canChangeOrganisationRoles(actor(['org_manager']), 1, 1))
    assert.isFalse(canChangeOrganisationRoles(actor(['org_manager']), 1, 2))
  })

  test('meeting creators and managers may create meetings', ({ assert }) => {
    assert.isTrue(canCreateMeeting(actor(['meeting_creator']), 1))
    assert.isTrue(canCreateMeeting(actor(['org_manager']), 1))
    assert.isFalse(canCreateMeeting(actor([]), 1))
    assert.isFalse(canCreateMeeting(actor(['meeting_creator'], 2), 1))
  })
})
