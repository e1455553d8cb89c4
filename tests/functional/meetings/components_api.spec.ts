import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import MeetingComponent from '#models/meeting_component'
import { InstallDialect } from '#actions/dialects/install_dialect'
import TransitionMeeting from '#actions/meetings/transition_meeting'
import { findDialect } from '#services/dialects'
import { systemActor } from '#services/audit_log'
import { capturePublished, meetingWorld, moveMeetingTo, type Caller } from '#tests/helpers/meetings'

type World = Awaited<ReturnType<typeof meetingWorld>>

async function givenComponent(
  world: World,
  name: string,
  fields: { enabled?: boolean; settings?: Record<string, unknown> } = {}
) {
  return MeetingComponent.create({
    organisationId: world.organisation.id,
    meetingId: world.meeting.id,
    componentName: name,
    enabled: fields.enabled ?? true,
    settings: fields.settings ?? {},
    rev: 1,
  })
}

const expected: Record<Caller, { list: number; change: number }> = {
  anonymous: { list: 401, change: 401 },
  other_org_user: { list: 404, change: 404 },
  org_member: { list: 404, change: 404 },
  participant: { list: 200, change: 403 },
  proposer: { list: 200, change: 403 },
  discusser: { list: 200, change: 403 },
  potential_voter: { list: 200, change: 403 },
  moderator: { list: 200, change: 0 },
  org_manager: { list: 403, change: 403 },
  meeting_creator: { list: 404, change: 404 },
}

test.group('Meeting components | API (api.md §6.7)', () => {
  test('component types: every registered type with scope, flag and settings schema', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    ;(await world.as('anonymous', client.get('/api/component-types'))).assertStatus(401)
    const response = await world.as('org_member', client.get('/api/component-types'))
    response.assertStatus(200)
    const types = response.body().data as Array<Record<string, unknown>>
    const byName = Object.fromEntries(types.map((type) => [type.name, type]))
    assert.containsSubset(byName.active_users, {
      title: 'Active users',
      scope: ['meeting'],
      disable_on_close: true,
    })
    assert.containsSubset(byName.gtags, {
      disable_on_close: false,
      settings_schema: {
        type: 'object',
        properties: { tags: { uniqueItems: true, default: ['m', 'f', 'nb'] } },
      },
    })
    assert.deepEqual(byName.flash_message.scope, ['meeting', 'organisation'])
    assert.deepEqual(byName.repeated_irv.scope, ['organisation'])
  })

  for (const caller of Object.keys(expected) as Caller[]) {
    test('{caller}: list {list}, create/update/delete {change}')
      .with([{ caller, ...expected[caller] }])
      .run(async ({ client, assert }, row) => {
        const world = await meetingWorld(client)
        const notes = await givenComponent(world, 'notes')
        const list = await world.as(
          row.caller,
          client.get(`/api/meeting-components?meeting=${world.meeting.id}`)
        )
        list.assertStatus(row.list)
        if (row.list === 200) {
          assert.deepEqual(
            list.body().data.map((c: { component_name: string }) => c.component_name),
            ['notes']
          )
        }

        const create = await world.as(
          row.caller,
          client
            .post('/api/meeting-components')
            .json({ meeting: world.meeting.id, component_name: 'proposal_print' })
        )
        const update = await world.as(
          row.caller,
          client.patch(`/api/meeting-components/${notes.id}`).json({ enabled: false })
        )
        const remove = await world.as(
          row.caller,
          client.delete(`/api/meeting-components/${notes.id}`)
        )
        if (row.change === 0) {
          create.assertStatus(201)
          update.assertStatus(200)
          remove.assertStatus(204)
          assert.isNull(await MeetingComponent.findInOrganisation(world.organisation.id, notes.id))
        } else {
          create.assertStatus(row.change)
          update.assertStatus(row.change)
          remove.assertStatus(row.change)
          const kept = (await MeetingComponent.findInOrganisation(world.organisation.id, notes.id))!
          assert.isTrue(kept.enabled)
          assert.lengthOf(
            await MeetingComponent.forOrganisation(world.organisation.id).where(
              'meeting_id',
              world.meeting.id
            ),
            1
          )
        }
      })
  }

  test('create, update and delete: payload, audit and realtime after commit', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const created = await capturePublished(async () =>
      world.as(
        'moderator',
        client.post('/api/meeting-components').json({
          meeting: world.meeting.id,
          component_name: 'gtags',
          settings: { tags: ['a', 'b'] },
        })
      )
    )
    created.result.assertStatus(201)
    const body = created.result.body()
    assert.deepEqual(body, {
      id: body.id,
      rev: 1,
      meeting: world.meeting.id,
      component_name: 'gtags',
      enabled: true,
      is_valid: true,
      settings: { tags: ['a', 'b'], many: false },
    })
    assert.deepEqual(
      created.messages.map((m) => [m.channel, m.type, m.data]),
      [[`meetings/${world.meeting.id}`, 'meeting_component.changed', body]]
    )

    const updated = await capturePublished(async () =>
      world.as(
        'moderator',
        client
          .patch(`/api/meeting-components/${body.id}`)
          .json({ settings: { tags: ['x'], many: true }, enabled: false })
      )
    )
    updated.result.assertStatus(200)
    assert.containsSubset(updated.result.body(), {
      rev: 2,
      enabled: false,
      settings: { tags: ['x'], many: true },
    })
    assert.deepEqual(
      updated.messages.map((m) => m.type),
      ['meeting_component.changed']
    )

    // Disabled components are still listed for participants.
    const list = await world.as(
      'participant',
      client.get(`/api/meeting-components?meeting=${world.meeting.id}`)
    )
    assert.deepEqual(
      list.body().data.map((c: { id: number; enabled: boolean }) => [c.id, c.enabled]),
      [[body.id, false]]
    )

    const removed = await capturePublished(async () =>
      world.as('moderator', client.delete(`/api/meeting-components/${body.id}`))
    )
    removed.result.assertStatus(204)
    assert.deepEqual(
      removed.messages.map((m) => [m.type, (m.data as { id: number }).id]),
      [['meeting_component.deleted', body.id]]
    )
    const events = await AuditEntry.forOrganisation(world.organisation.id)
      .where('model', 'MeetingComponent')
      .where('object_id', String(body.id))
      .orderBy('id')
    assert.deepEqual(
      events.map((e) => e.event),
      ['meeting_component.created', 'meeting_component.updated', 'meeting_component.deleted']
    )
  })

  test('nothing is published when the change is refused', async ({ client, assert }) => {
    const world = await meetingWorld(client)
    const { result, messages } = await capturePublished(async () =>
      world.as(
        'moderator',
        client
          .post('/api/meeting-components')
          .json({ meeting: world.meeting.id, component_name: 'gtags', settings: { tags: 'm' } })
      )
    )
    result.assertStatus(422)
    assert.lengthOf(messages, 0)
  })

  test('settings are validated against the type schema; errors name the settings path', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const post = (json: Record<string, unknown>) =>
      world.as(
        'moderator',
        client.post('/api/meeting-components').json({ meeting: world.meeting.id, ...json })
      )
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ component_name: 'gtags', settings: { tags: ['ok', 'Not OK'] } }, 'settings.tags.1'],
      [{ component_name: 'gtags', settings: { tags: ['a', 'a'] } }, 'settings.tags.1'],
      [{ component_name: 'gtags', settings: { many: 'yes' } }, 'settings.many'],
      [{ component_name: 'ptags', settings: { colour: 'red' } }, 'settings.colour'],
      [{ component_name: 'flash_message', settings: {} }, 'settings.msg'],
      [{ component_name: 'flash_message', settings: { msg: 'Hi', type: 'loud' } }, 'settings.type'],
      [{ component_name: 'notes', settings: { any: 1 } }, 'settings.any'],
      [{ component_name: 'notes', settings: [1] }, 'settings'],
    ]
    for (const [json, field] of cases) {
      const response = await post(json)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].code, 'component.invalid_settings', field)
      assert.equal(response.body().errors[0].field, field)
    }

    for (const [json, field] of [
      [{ component_name: 'dialects_filter' }, 'component_name'],
      [{ component_name: 'no_such_thing' }, 'component_name'],
      [{ component_name: 'notes', enabled: 'yes' }, 'enabled'],
      [{ component_name: '' }, 'component_name'],
    ] as Array<[Record<string, unknown>, string]>) {
      const response = await post(json)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field)
    }
    ;(
      await world.as(
        'moderator',
        client.post('/api/meeting-components').json({ component_name: 'notes' })
      )
    ).assertStatus(422)

    const row = await givenComponent(world, 'flash_message', {
      settings: { msg: 'Hi', type: 'info' },
    })
    const patch = await world.as(
      'moderator',
      client.patch(`/api/meeting-components/${row.id}`).json({ settings: { msg: '' } })
    )
    patch.assertStatus(422)
    assert.equal(patch.body().errors[0].field, 'settings.msg')
    assert.deepEqual(
      (await MeetingComponent.findInOrganisation(world.organisation.id, row.id))!.settings,
      {
        msg: 'Hi',
        type: 'info',
      }
    )
  })

  test('one component per name per meeting', async ({ client, assert }) => {
    const world = await meetingWorld(client)
    await givenComponent(world, 'notes', { enabled: false })
    const response = await world.as(
      'moderator',
      client
        .post('/api/meeting-components')
        .json({ meeting: world.meeting.id, component_name: 'notes' })
    )
    response.assertStatus(422)
    assert.containsSubset(response.body().errors[0], { field: 'component_name', rule: 'unique' })
  })

  test('an invalid stored component is not listed and can only be enabled with valid settings', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const broken = await givenComponent(world, 'gtags', {
      enabled: false,
      settings: { tags: ['BAD'] },
    })
    await givenComponent(world, 'retired_component')
    const list = await world.as(
      'moderator',
      client.get(`/api/meeting-components?meeting=${world.meeting.id}`)
    )
    assert.deepEqual(list.body().data, [])

    const enable = await world.as(
      'moderator',
      client.patch(`/api/meeting-components/${broken.id}`).json({ enabled: true })
    )
    enable.assertStatus(422)
    assert.equal(enable.body().errors[0].field, 'settings.tags.0')
    const fixed = await world.as(
      'moderator',
      client
        .patch(`/api/meeting-components/${broken.id}`)
        .json({ enabled: true, settings: { tags: ['ok'] } })
    )
    fixed.assertStatus(200)
    assert.containsSubset(fixed.body(), { enabled: true, is_valid: true })
  })

  test('archived meeting: listed for participants, refused for moderators', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const notes = await givenComponent(world, 'notes')
    await moveMeetingTo(world.meeting, 'archived')
    ;(
      await world.as(
        'participant',
        client.get(`/api/meeting-components?meeting=${world.meeting.id}`)
      )
    ).assertStatus(200)
    ;(
      await world.as(
        'moderator',
        client
          .post('/api/meeting-components')
          .json({ meeting: world.meeting.id, component_name: 'proposal_print' })
      )
    ).assertStatus(403)
    ;(
      await world.as(
        'moderator',
        client.patch(`/api/meeting-components/${notes.id}`).json({ enabled: false })
      )
    ).assertStatus(403)
    ;(
      await world.as('moderator', client.delete(`/api/meeting-components/${notes.id}`))
    ).assertStatus(403)
    assert.isTrue(
      (await MeetingComponent.findInOrganisation(world.organisation.id, notes.id))!.enabled
    )
  })

  test('a component blocked by the installed dialect cannot be enabled (component.blocked)', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const available = await findDialect(world.organisation.id, 'board_meeting')
    await new InstallDialect().execute(world.meeting, available!, systemActor('cli'))

    const create = await world.as(
      'moderator',
      client
        .post('/api/meeting-components')
        .json({ meeting: world.meeting.id, component_name: 'presence_check' })
    )
    create.assertStatus(422)
    assert.equal(create.body().errors[0].code, 'component.blocked')

    // Installing disabled the blocked `active_users`? Only rows that existed; create a disabled one.
    const disabled = await world.as(
      'moderator',
      client.post('/api/meeting-components').json({
        meeting: world.meeting.id,
        component_name: 'active_users',
        enabled: false,
      })
    )
    disabled.assertStatus(201)
    const enable = await world.as(
      'moderator',
      client.patch(`/api/meeting-components/${disabled.body().id}`).json({ enabled: true })
    )
    enable.assertStatus(422)
    assert.containsSubset(enable.body().errors[0], { code: 'component.blocked', field: 'enabled' })

    // Components the dialect configured stay editable.
    const notes = await MeetingComponent.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .where('component_name', 'notes')
      .firstOrFail()
    assert.isTrue(notes.enabled)
    ;(
      await world.as(
        'moderator',
        client.patch(`/api/meeting-components/${notes.id}`).json({ enabled: false })
      )
    ).assertStatus(200)
  })

  test('closing the meeting disables `disable_on_close` components only', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client, { state: 'ongoing' })
    const active = await givenComponent(world, 'active_users')
    const notes = await givenComponent(world, 'notes')
    const { messages } = await capturePublished(() =>
      new TransitionMeeting().execute({
        meeting: world.meeting,
        event: 'close',
        user: world.users.moderator,
        actor: systemActor('cli'),
      })
    )
    assert.isFalse(
      (await MeetingComponent.findInOrganisation(world.organisation.id, active.id))!.enabled
    )
    assert.isTrue(
      (await MeetingComponent.findInOrganisation(world.organisation.id, notes.id))!.enabled
    )
    const changed = messages.filter((m) => m.type === 'meeting_component.changed')
    assert.deepEqual(
      changed.map((m) => (m.data as { id: number; enabled: boolean }).id),
      [active.id]
    )
  })

  test('the meeting snapshot lists the valid components, enabled or not', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const notes = await givenComponent(world, 'notes', { enabled: false })
    await givenComponent(world, 'gtags', { settings: { tags: ['BAD'] } })
    const snapshot = await world.as(
      'participant',
      client.get('/api/realtime/snapshot').qs({ channel: `meetings/${world.meeting.id}` })
    )
    snapshot.assertStatus(200)
    const section = snapshot
      .body()
      .sections.find((entry: { name: string }) => entry.name === 'components.meeting')
    assert.deepEqual(section.messages, [
      {
        type: 'meeting_component.changed.batch',
        items: [
          {
            id: notes.id,
            rev: 1,
            meeting: world.meeting.id,
            component_name: 'notes',
            enabled: false,
            is_valid: true,
            settings: {},
          },
        ],
      },
    ])
  })
})
