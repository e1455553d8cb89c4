import { test } from '@japa/runner'
import Meeting from '#models/meeting'
import MeetingComponent from '#models/meeting_component'
import MeetingDialect from '#models/meeting_dialect'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import ReactionButton from '#models/reaction_button'
import Room from '#models/room'
import SpeakerListSystem from '#models/speaker_list_system'
import AuditEntry from '#models/audit_entry'
import ImportDialect from '#actions/dialects/import_dialect'
import CreateAgendaItem from '#actions/agenda/create_agenda_item'
import { CreatePoll } from '#actions/polls/save_poll'
import type { DomainError } from '#domain/errors'
import { systemActor } from '#services/audit_log'
import { asBrowser, givenOrganisation, givenUser, loginBrowser } from '#tests/helpers/world'
import { givenMeeting } from '#tests/helpers/meetings'

const cli = systemActor('cli')

async function creatorWorld(client: any) {
  const { organisation, host } = await givenOrganisation()
  const cleo = await givenUser(organisation, { roles: ['meeting_creator'] })
  const session = await loginBrowser(client, host, cleo)
  return { organisation, host, cleo, session }
}

test.group('Dialects | API', () => {
  test('installable list: shipped installable files plus imported dialects; meeting.add only', async ({
    client,
    assert,
  }) => {
    const { organisation, host, session } = await creatorWorld(client)
    await new ImportDialect().execute({
      organisation,
      name: 'our_agm',
      yaml: 'title: Our AGM\nrequires: [association_agm]\n',
      actor: cli,
    })
    const response = await asBrowser(client.get('/api/meeting-dialects'), session)
    response.assertStatus(200)
    const names = response.body().data.map((d: any) => d.name)
    assert.includeMembers(names, [
      'association_agm',
      'board_meeting',
      'party_congress',
      'sfsfum',
      'our_agm',
    ])
    assert.notInclude(names, 'main_subst') // installable: false
    const ours = response.body().data.find((d: any) => d.name === 'our_agm')
    assert.containsSubset(ours, {
      title: 'Our AGM',
      er_policy_name: 'auto_before_poll',
      version: 1,
      source: 'organisation',
    })

    const plain = await givenUser(organisation)
    ;(
      await asBrowser(client.get('/api/meeting-dialects'), await loginBrowser(client, host, plain))
    ).assertStatus(403)
  })

  test('creating a meeting from a dialect applies it in one transaction', async ({
    client,
    assert,
  }) => {
    const { organisation, session } = await creatorWorld(client)
    const response = await asBrowser(client.post('/api/meetings'), session).json({
      title: 'Congress 2026',
      install_dialect: 'party_congress',
    })
    response.assertStatus(201)
    const body = response.body()
    assert.containsSubset(body, {
      installed_dialect: 'party_congress',
      er_policy_name: 'group_auto_eq_rnd_bf',
      proposal_id_policy_name: 'sequential',
      group_votes_active: true,
      group_roles_active: true,
    })
    assert.deepEqual(body.dialect.block_roles, ['pv'])
    assert.deepEqual(body.dialect.poll_methods, [
      'simple',
      'combined_simple',
      'majority',
      'schulze',
      'repeated_schulze',
      'scottish_stv',
      'irv',
    ])
    const meeting = (await Meeting.findInOrganisation(organisation.id, body.id))!

    const roles = await GroupRole.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    assert.deepEqual(
      roles.map((r) => [r.roleId, r.roles]),
      [
        ['delegate', ['pv', 'pr', 'di']],
        ['substitute', ['di']],
        ['leader', ['pv', 'pr', 'di']],
      ]
    )
    const groups = await MeetingGroup.forOrganisation(organisation.id).where(
      'meeting_id',
      meeting.id
    )
    assert.deepEqual(
      groups.map((g) => g.groupid),
      ['presidium']
    )
    const components = await MeetingComponent.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('component_name')
    assert.deepEqual(
      components.map((c) => [c.componentName, c.enabled]),
      [
        ['active_users', true],
        ['gtags', true],
        ['proposal_print', true],
      ]
    )
    assert.deepEqual(components[1].settings, { tags: ['f', 'm', 'nb'], many: false })
    const buttons = await ReactionButton.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .orderBy('id')
    assert.deepEqual(
      buttons.map((b) => [b.title, b.flagMode, b.target]),
      [
        ['Supports', false, 10],
        ['Point of order', true, null],
      ]
    )
    const [room] = await Room.forOrganisation(organisation.id).where('meeting_id', meeting.id)
    assert.equal(room.title, 'Plenary')
    const [system] = await SpeakerListSystem.forOrganisation(organisation.id).where(
      'room_id',
      room.id
    )
    assert.equal(system.methodName, 'gender_prio')
    assert.equal(system.safePositions, 2)
    const record = await MeetingDialect.forOrganisation(organisation.id)
      .where('meeting_id', meeting.id)
      .firstOrFail()
    assert.deepEqual([record.name, record.version], ['party_congress', null])
    const events = (
      await AuditEntry.forOrganisation(organisation.id).where('meeting_id', meeting.id)
    ).map((e) => e.event)
    assert.includeMembers(events, [
      'meeting.created',
      'meeting.dialect_installed',
      'group_role.created',
      'meeting_group.created',
      'reaction_button.created',
      'room.created',
    ])

    // block_roles: invitations cannot hand out potential_voter in this meeting (domain §20.2).
    const refused = await asBrowser(client.post('/api/meeting-invites'), session).json({
      meeting: meeting.id,
      roles: ['pa', 'pv'],
      data: [{ email: 'someone@example.org' }],
    })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'invites.blocked_role')
  })

  test('an unknown dialect in meeting creation is a 422 and creates nothing', async ({
    client,
    assert,
  }) => {
    const { organisation, session } = await creatorWorld(client)
    const response = await asBrowser(client.post('/api/meetings'), session).json({
      title: 'X',
      install_dialect: 'nonexistent',
    })
    response.assertStatus(422)
    assert.equal(response.body().errors[0].field, 'install_dialect')
    assert.lengthOf(await Meeting.forOrganisation(organisation.id), 0)
  })

  test('S07 dialects can only be installed on upcoming meetings without a dialect', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const session = await loginBrowser(client, host, mia)
    const m1 = await givenMeeting(organisation, { moderator: mia, state: 'ongoing' })
    const m2 = await givenMeeting(organisation, { moderator: mia })
    ;(
      await asBrowser(client.post(`/api/meetings/${m2.id}/install-dialect`), session).json({
        dialect: 'sfsfum',
      })
    ).assertStatus(200)

    const ongoing = await asBrowser(
      client.post(`/api/meetings/${m1.id}/install-dialect`),
      session
    ).json({ dialect: 'sfsfum' })
    ongoing.assertStatus(403)
    assert.equal(ongoing.body().errors[0].code, 'permission.denied')
    const twice = await asBrowser(
      client.post(`/api/meetings/${m2.id}/install-dialect`),
      session
    ).json({ dialect: 'sfsfum' })
    twice.assertStatus(422)
    assert.equal(twice.body().errors[0].code, 'dialect.already_installed')
  })

  test('install by moderators only; unknown and non-installable dialects refused', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const mia = await givenUser(organisation)
    const meeting = await givenMeeting(organisation, { moderator: mia })
    const session = await loginBrowser(client, host, mia)
    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const managerSession = await loginBrowser(client, host, manager)
    ;(
      await asBrowser(
        client.post(`/api/meetings/${meeting.id}/install-dialect`),
        managerSession
      ).json({ dialect: 'board_meeting' })
    ).assertStatus(403)
    ;(
      await client
        .post(`/api/meetings/${meeting.id}/install-dialect`)
        .header('host', host)
        .json({ dialect: 'board_meeting' })
    ).assertStatus(401)

    const unknown = await asBrowser(
      client.post(`/api/meetings/${meeting.id}/install-dialect`),
      session
    ).json({ dialect: 'nope' })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'dialect')
    ;(
      await asBrowser(client.post(`/api/meetings/${meeting.id}/install-dialect`), session).json({
        dialect: 'main_subst',
      })
    ).assertStatus(422)
    const fresh = (await Meeting.findInOrganisation(organisation.id, meeting.id))!
    assert.isNull(fresh.installedDialect)
  })

  test('remove-dialect resets what it set, deletes its group roles and (optionally) groups, keeps rooms', async ({
    client,
    assert,
  }) => {
    const { organisation, session } = await creatorWorld(client)
    const created = await asBrowser(client.post('/api/meetings'), session).json({
      title: 'Fed AGM',
      install_dialect: 'regional_federation_agm',
    })
    assert.equal(created.status(), 201, JSON.stringify(created.body()))
    const id = created.body().id
    // requires [main_subst]: its roles, plus the script's region groups.
    const groupids = (await MeetingGroup.forOrganisation(organisation.id).where('meeting_id', id))
      .map((g) => g.groupid)
      .sort()
    assert.deepEqual(groupids, ['east', 'north', 'south', 'west'])
    assert.lengthOf(await GroupRole.forOrganisation(organisation.id).where('meeting_id', id), 2)

    const removed = await asBrowser(
      client.post(`/api/meetings/${id}/remove-dialect`),
      session
    ).json({ groups: true })
    removed.assertStatus(200)
    assert.containsSubset(removed.body(), {
      installed_dialect: null,
      dialect: null,
      er_policy_name: null,
      group_votes_active: false,
      group_roles_active: false,
    })
    assert.lengthOf(await GroupRole.forOrganisation(organisation.id).where('meeting_id', id), 0)
    assert.lengthOf(await MeetingGroup.forOrganisation(organisation.id).where('meeting_id', id), 0)
    assert.lengthOf(await Room.forOrganisation(organisation.id).where('meeting_id', id), 1)
    assert.isNull(
      await MeetingDialect.forOrganisation(organisation.id).where('meeting_id', id).first()
    )
    const again = await asBrowser(client.post(`/api/meetings/${id}/remove-dialect`), session).json(
      {}
    )
    again.assertStatus(422)
    assert.equal(again.body().errors[0].code, 'dialect.not_installed')
  })

  test('an imported dialect records its version on the meeting; file names cannot be imported', async ({
    client,
    assert,
  }) => {
    const { organisation, session } = await creatorWorld(client)
    await new ImportDialect().execute({
      organisation,
      name: 'board_plus',
      yaml: 'title: Board v1\nrequires: [board_meeting]\n',
      actor: cli,
    })
    await new ImportDialect().execute({
      organisation,
      name: 'board_plus',
      yaml: 'title: Board v2\nrequires: [board_meeting]\ngroups: [{groupid: board}]\n',
      actor: cli,
    })
    const created = await asBrowser(client.post('/api/meetings'), session).json({
      title: 'Board',
      install_dialect: 'board_plus',
    })
    created.assertStatus(201)
    assert.equal(created.body().dialect.title, 'Board v2')
    const record = await MeetingDialect.forOrganisation(organisation.id)
      .where('meeting_id', created.body().id)
      .firstOrFail()
    assert.deepEqual([record.name, record.version], ['board_plus', 2])

    const clash = await new ImportDialect()
      .execute({ organisation, name: 'sfsfum', yaml: 'title: Mine', actor: cli })
      .catch((e) => e)
    assert.equal(clash.code, 'dialect.name_taken')
  })

  test('poll_methods of the installed dialect restrict poll creation (422 on method_name)', async ({
    client,
    assert,
  }) => {
    const { organisation, cleo, session } = await creatorWorld(client)
    const created = await asBrowser(client.post('/api/meetings'), session).json({
      title: 'Board',
      install_dialect: 'board_meeting',
    })
    created.assertStatus(201)
    const meeting = (await Meeting.findInOrganisation(organisation.id, created.body().id))!
    const item = await new CreateAgendaItem().execute({ meeting, title: 'Decision', actor: cli })
    const attempt = (methodName: string) =>
      new CreatePoll()
        .execute({
          meeting,
          item,
          fields: { title: 'Vote', methodName, proposals: [] },
          user: cleo,
          actor: cli,
        })
        .then(
          () => null,
          (error: DomainError) => error
        )
    const refused = await attempt('schulze')
    assert.equal(refused?.details.field, 'method_name')
    assert.include(refused?.message, 'simple, combined_simple, majority')
    const allowed = await attempt('simple')
    assert.notEqual(allowed?.details.field, 'method_name')
  })
})
