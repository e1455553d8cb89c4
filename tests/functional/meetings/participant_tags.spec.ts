import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import AuditEntry from '#models/audit_entry'
import MeetingComponent from '#models/meeting_component'
import ParticipantTag from '#models/participant_tag'
import type Meeting from '#models/meeting'
import type User from '#models/user'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'
import { systemActor } from '#services/audit_log'
import { allCallers, capturePublished, meetingWorld, type Caller } from '#tests/helpers/meetings'
import { call, givenRunningList, givenSpeakerWorld } from '#tests/helpers/speakers'

type World = Awaited<ReturnType<typeof meetingWorld>>

/** Switches a tag component on directly (the component API is another module's). */
async function givenTagComponent(
  meeting: Meeting,
  name: 'gtags' | 'ptags',
  settings: Record<string, unknown>
) {
  return MeetingComponent.create({
    organisationId: meeting.organisationId,
    meetingId: meeting.id,
    componentName: name,
    enabled: true,
    settings,
    rev: 1,
  })
}

async function tagWorld(client: ApiClient) {
  const world = await meetingWorld(client)
  await givenTagComponent(world.meeting, 'gtags', { tags: ['m', 'f', 'nb'], many: false })
  await givenTagComponent(world.meeting, 'ptags', { tags: ['she', 'he', 'they'], many: true })
  return world
}

const send = (
  world: World,
  client: ApiClient,
  caller: Caller,
  method: 'get' | 'post' | 'delete',
  path: string,
  body?: Record<string, unknown>
) => {
  const request = world.as(caller, client[method](path))
  return body ? request.json(body) : request
}

const participants: Caller[] = ['participant', 'proposer', 'discusser', 'potential_voter']

/** api.md §6.7 "participant": invisible → 404 (path) / 422 (query field), preview only → 403. */
function expected(forParticipants: number, invisibleQuery = false): Record<Caller, number> {
  const invisible = invisibleQuery ? 422 : 404
  const result = {
    anonymous: 401,
    other_org_user: invisible,
    org_member: invisible,
    meeting_creator: invisible,
    org_manager: 403,
    moderator: forParticipants,
  } as Record<Caller, number>
  for (const caller of participants) result[caller] = forParticipants
  return result
}

const endpoints = [
  { method: 'get', path: (m: number) => `/api/meetings/${m}/ptags`, expected: expected(204) },
  {
    method: 'post',
    path: (m: number) => `/api/meetings/${m}/ptags/set`,
    body: { tags: { gen: 'f' } },
    expected: expected(200),
  },
  {
    method: 'post',
    path: (m: number) => `/api/meetings/${m}/ptags/remove-ns`,
    body: { ns: ['pron'] },
    expected: expected(204),
  },
  { method: 'delete', path: (m: number) => `/api/meetings/${m}/ptags`, expected: expected(204) },
  {
    method: 'get',
    path: (m: number) => `/api/participant-numbers?meeting=${m}`,
    expected: expected(200, true),
  },
] as const

test.group('Participant tags | who may call (api.md §6.7)', () => {
  for (const endpoint of endpoints) {
    test(`${endpoint.method.toUpperCase()} ${endpoint.path(0).replace('0', '{id}')}`, async ({
      client,
      assert,
    }) => {
      const world = await tagWorld(client)
      const statuses: Record<string, number> = {}
      for (const caller of allCallers) {
        const response = await send(
          world,
          client,
          caller,
          endpoint.method,
          endpoint.path(world.meeting.id),
          'body' in endpoint ? { ...endpoint.body } : undefined
        )
        statuses[caller] = response.status()
        if (response.status() >= 400) {
          const code = response.body().errors?.[0]?.code
          const want: Record<number, string> = {
            401: 'auth.unauthenticated',
            403: 'permission.denied',
            404: 'not_found',
            422: 'validation.failed',
          }
          assert.equal(code, want[response.status()], `${caller}: ${code}`)
        }
      }
      assert.deepEqual(statuses, endpoint.expected)
      if (endpoint.method === 'post' && endpoint.path(1).endsWith('/set')) {
        // One entry per participant who set tags, none for the refused callers.
        const after = await AuditEntry.forOrganisation(world.organisation.id).where(
          'event',
          'ptags.created'
        )
        assert.lengthOf(after, participants.length + 1)
      }
    })
  }
})

test.group('Participant tags | own tags (domain §15.4)', () => {
  test('set, merge, read, remove namespaces, delete; audited and published', async ({
    client,
    assert,
  }) => {
    const world = await tagWorld(client)
    const path = `/api/meetings/${world.meeting.id}/ptags`
    const user = world.users.participant.id

    let response = await send(world, client, 'participant', 'get', path)
    response.assertStatus(204)

    const { result, messages } = await capturePublished(async () =>
      send(world, client, 'participant', 'post', `${path}/set`, { tags: { gen: 'nb' } })
    )
    result.assertStatus(200)
    assert.deepEqual(result.body(), { meeting: world.meeting.id, user, tags: { gen: 'nb' } })
    assert.deepEqual(
      messages.map((m) => [m.channel, m.type, m.data]),
      [
        [
          `meetings/${world.meeting.id}`,
          'ptags.changed',
          { meeting: world.meeting.id, user, tags: { gen: 'nb' } },
        ],
      ]
    )

    // `set` merges namespaces; `many` lists are de-duplicated; a single string becomes a list.
    response = await send(world, client, 'participant', 'post', `${path}/set`, {
      tags: { pron: ['they', 'she', 'they'] },
    })
    response.assertStatus(200)
    assert.deepEqual(response.body().tags, { gen: 'nb', pron: ['they', 'she'] })
    response = await send(world, client, 'participant', 'post', `${path}/set`, {
      tags: { pron: 'he', gen: 'f' },
    })
    assert.deepEqual(response.body().tags, { gen: 'f', pron: ['he'] })

    response = await send(world, client, 'participant', 'get', path)
    response.assertStatus(200)
    assert.deepEqual(response.body(), {
      meeting: world.meeting.id,
      user,
      tags: { gen: 'f', pron: ['he'] },
    })

    response = await send(world, client, 'participant', 'post', `${path}/remove-ns`, {
      ns: ['pron', 'unknown'],
    })
    response.assertStatus(200)
    assert.deepEqual(response.body().tags, { gen: 'f' })

    // Removing the last namespace deletes the row: 204, and `{}` is published.
    const removal = await capturePublished(async () =>
      send(world, client, 'participant', 'post', `${path}/remove-ns`, { ns: ['gen'] })
    )
    removal.result.assertStatus(204)
    assert.deepEqual(removal.messages[0].data, { meeting: world.meeting.id, user, tags: {} })
    assert.isNull(
      await ParticipantTag.forOrganisation(world.organisation.id)
        .where('meeting_id', world.meeting.id)
        .where('user_id', user)
        .first()
    )

    await send(world, client, 'participant', 'post', `${path}/set`, { tags: { gen: 'm' } })
    response = await send(world, client, 'participant', 'delete', path)
    response.assertStatus(204)
    response = await send(world, client, 'participant', 'get', path)
    response.assertStatus(204)

    const events = (
      await AuditEntry.forOrganisation(world.organisation.id)
        .where('model', 'ParticipantTags')
        .orderBy('id')
    ).map((entry) => entry.event)
    assert.deepEqual(events, [
      'ptags.created',
      'ptags.updated',
      'ptags.updated',
      'ptags.updated',
      'ptags.deleted',
      'ptags.created',
      'ptags.deleted',
    ])
  })

  test('a user never sees or changes another user’s tags', async ({ client, assert }) => {
    const world = await tagWorld(client)
    const path = `/api/meetings/${world.meeting.id}/ptags`
    await send(world, client, 'participant', 'post', `${path}/set`, {
      tags: { gen: 'f' },
    }).then((r) => r.assertStatus(200))
    // A `user` in the body is not a parameter: the discusser sets their own tags.
    let response = await send(world, client, 'discusser', 'post', `${path}/set`, {
      tags: { gen: 'm' },
      user: world.users.participant.id,
    })
    response.assertStatus(200)
    assert.equal(response.body().user, world.users.discusser.id)

    response = await send(world, client, 'discusser', 'get', path)
    assert.deepEqual(response.body(), {
      meeting: world.meeting.id,
      user: world.users.discusser.id,
      tags: { gen: 'm' },
    })
    await send(world, client, 'discusser', 'delete', path).then((r) => r.assertStatus(204))
    await send(world, client, 'discusser', 'post', `${path}/remove-ns`, { ns: ['gen'] })

    response = await send(world, client, 'participant', 'get', path)
    response.assertStatus(200)
    assert.deepEqual(response.body().tags, { gen: 'f' })
    // Another user's id in the path of another meeting does not exist: there is no user path at all.
    response = await send(
      world,
      client,
      'participant',
      'get',
      `${path}/${world.users.discusser.id}`
    )
    response.assertStatus(404)
  })

  test('validation errors name the field', async ({ client, assert }) => {
    const world = await meetingWorld(client)
    await givenTagComponent(world.meeting, 'gtags', {}) // defaults: m, f, nb; single value
    const path = `/api/meetings/${world.meeting.id}/ptags`
    const cases: Array<[Record<string, unknown>, string, string, string?]> = [
      [{}, 'validation.failed', 'tags'],
      [{ tags: 'f' }, 'validation.failed', 'tags'],
      [{ tags: {} }, 'validation.failed', 'tags', 'required'],
      [{ tags: { 'Bad NS': 'f' } }, 'validation.failed', 'tags.Bad NS', 'regex'],
      [{ tags: { pron: 'she' } }, 'ptags.namespace_unavailable', 'tags.pron'],
      [{ tags: { other: 'x' } }, 'ptags.namespace_unavailable', 'tags.other'],
      [{ tags: { gen: 'x' } }, 'ptags.value_not_allowed', 'tags.gen'],
      [{ tags: { gen: 'F' } }, 'validation.failed', 'tags.gen', 'regex'],
      [{ tags: { gen: 'a'.repeat(21) } }, 'validation.failed', 'tags.gen', 'regex'],
      [{ tags: { gen: ['f', 'm'] } }, 'ptags.single_value', 'tags.gen'],
      [{ tags: { gen: 3 } }, 'validation.failed', 'tags.gen', 'string'],
      [{ tags: { gen: [] } }, 'validation.failed', 'tags.gen', 'string'],
    ]
    for (const [body, code, field, rule] of cases) {
      const response = await send(world, client, 'participant', 'post', `${path}/set`, body)
      response.assertStatus(422)
      const error = response.body().errors[0]
      assert.equal(error.code, code, JSON.stringify(body))
      assert.equal(error.field, field, JSON.stringify(body))
      if (rule) assert.equal(error.rule, rule, JSON.stringify(body))
    }
    const removeCases: Array<[Record<string, unknown>, string]> = [
      [{}, 'ns'],
      [{ ns: [] }, 'ns'],
      [{ ns: ['BAD'] }, 'ns.0'],
      [{ ns: 'gen' }, 'ns'],
    ]
    for (const [body, field] of removeCases) {
      const response = await send(world, client, 'participant', 'post', `${path}/remove-ns`, body)
      response.assertStatus(422)
      assert.equal(response.body().errors[0].field, field, JSON.stringify(body))
    }
    // Swedish message for a new code.
    const response = await send(world, client, 'participant', 'post', `${path}/set`, {
      tags: { gen: 'x' },
    }).header('accept-language', 'sv')
    assert.equal(response.body().errors[0].message, '”x” är inte en tagg i namnrymden ”gen”')
    // A disabled component closes its namespace for `set`.
    const component = await MeetingComponent.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .firstOrFail()
    component.enabled = false
    await component.save()
    const closed = await send(world, client, 'participant', 'post', `${path}/set`, {
      tags: { gen: 'f' },
    })
    assert.equal(closed.body().errors[0].code, 'ptags.namespace_unavailable')
  })

  test('archived meeting: set refused, delete allowed; leaving removes the tags', async ({
    client,
    assert,
  }) => {
    const world = await tagWorld(client)
    const path = `/api/meetings/${world.meeting.id}/ptags`
    await send(world, client, 'participant', 'post', `${path}/set`, { tags: { gen: 'f' } })
    await send(world, client, 'discusser', 'post', `${path}/set`, { tags: { gen: 'm' } })

    await new ChangeMeetingRoles().execute({
      meeting: world.meeting,
      userIds: [world.users.discusser.id],
      roles: ['pa'],
      mode: 'remove',
      actor: systemActor('cli'),
    })
    const left = await ParticipantTag.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .where('user_id', world.users.discusser.id)
      .first()
    assert.isNull(left)

    const { moveMeetingTo } = await import('#tests/helpers/meetings')
    await moveMeetingTo(world.meeting, 'archived')
    let response = await send(world, client, 'participant', 'post', `${path}/set`, {
      tags: { gen: 'nb' },
    })
    response.assertStatus(403)
    response = await send(world, client, 'participant', 'get', path)
    assert.deepEqual(response.body().tags, { gen: 'f' })
    response = await send(world, client, 'participant', 'delete', path)
    response.assertStatus(204)
  })
})

test.group('Participant tags | gender_prio speaker ordering (domain §12.4)', () => {
  test('the queue alternates by the gen tags set through the API', async ({ client, assert }) => {
    const world = await givenSpeakerWorld(client)
    const { listId } = await givenRunningList(client, world, {
      method_name: 'gender_prio',
      safe_positions: 0,
      meeting_roles_to_speaker: ['di', 'pa'],
    })
    // Choosing gender_prio switched the gtags component (m, f, nb) on.
    const tag = async (user: User, gen: string) =>
      (
        await call(client, world, user, 'post', `/api/meetings/${world.meeting.id}/ptags/set`, {
          tags: { gen },
        })
      ).assertStatus(200)
    await tag(world.dan, 'm')
    await tag(world.pia, 'm')
    await tag(world.eve, 'f')

    let queue: number[] = []
    for (const user of [world.dan, world.pia, world.eve]) {
      const response = await call(client, world, user, 'post', `/api/speaker-lists/${listId}/enter`)
      response.assertStatus(201)
      queue = response.body().queue
    }
    // Entry order Dan, Pia, Eve; the prioritised Eve follows the first non-prioritised speaker.
    assert.deepEqual(queue, [world.dan.id, world.eve.id, world.pia.id])

    // Without tags the same entries keep their order (the method falls back to priority).
    const plain = await givenSpeakerWorld(client)
    const second = await givenRunningList(client, plain, {
      method_name: 'gender_prio',
      safe_positions: 0,
      meeting_roles_to_speaker: ['di', 'pa'],
    })
    for (const user of [plain.dan, plain.pia, plain.eve]) {
      const response = await call(
        client,
        plain,
        user,
        'post',
        `/api/speaker-lists/${second.listId}/enter`
      )
      queue = response.body().queue
    }
    assert.deepEqual(queue, [plain.dan.id, plain.pia.id, plain.eve.id])
  })
})

test.group('Participant tags and numbers | meeting snapshot (domain §17.3)', () => {
  test('participant_tags.all only with a tag component; participant_number.numbers only with a PN system', async ({
    client,
    assert,
  }) => {
    const world = await meetingWorld(client)
    const snapshot = async () => {
      const response = await world.as(
        'participant',
        client.get('/api/realtime/snapshot').qs({ channel: `meetings/${world.meeting.id}` })
      )
      response.assertStatus(200)
      return response.body().sections as Array<{ name: string; messages: any[] }>
    }
    let names = (await snapshot()).map((section) => section.name)
    assert.notInclude(names, 'participant_tags.all')
    assert.notInclude(names, 'participant_number.numbers')

    await givenTagComponent(world.meeting, 'gtags', { tags: ['m', 'f', 'nb'], many: false })
    const path = `/api/meetings/${world.meeting.id}/ptags/set`
    await send(world, client, 'participant', 'post', path, { tags: { gen: 'f' } })
    await send(world, client, 'discusser', 'post', path, { tags: { gen: 'f' } })
    await send(world, client, 'proposer', 'post', path, { tags: { gen: 'm' } })
    const { default: ImportParticipantNumbers } =
      await import('#actions/participant_numbers/import_participant_numbers')
    await new ImportParticipantNumbers().execute({
      meeting: world.meeting,
      lines: [{ line: 1, number: 5, email: world.users.participant.email! }],
      clear: false,
      actor: systemActor('cli'),
    })

    const sections = await snapshot()
    const tags = sections.find((section) => section.name === 'participant_tags.all')!
    const ids = (...users: User[]) => users.map((user) => user.id).sort((a, b) => a - b)
    assert.deepEqual(tags.messages, [
      {
        type: 'ptags.all',
        data: {
          meeting: world.meeting.id,
          tags: {
            'gen:f': ids(world.users.participant, world.users.discusser),
            'gen:m': ids(world.users.proposer),
          },
        },
      },
    ])
    const pn = sections.find((section) => section.name === 'participant_number.numbers')!
    assert.equal(pn.messages[0].type, 'pn.changed.batch')
    assert.deepEqual(
      pn.messages[0].items.map((item: { user: number; number: number }) => [
        item.user,
        item.number,
      ]),
      [[world.users.participant.id, 5]]
    )
  })
})
