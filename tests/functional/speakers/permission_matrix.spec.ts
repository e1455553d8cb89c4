import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import AuditEntry from '#models/audit_entry'
import type User from '#models/user'
import { systemActor } from '#services/audit_log'
import { CreateRoom } from '#actions/rooms/rooms'
import { CreateSpeakerSystem, UpdateSpeakerSystem } from '#actions/speakers/systems'
import { CreateSpeakerList } from '#actions/speakers/lists'
import { ChangeSpeakerSystemRoles } from '#actions/speakers/roles_budgets'
import { EnterSpeakerList, StartSpeaker } from '#actions/speakers/turns'
import { allCallers, givenAgendaItem, meetingWorld, type Caller } from '#tests/helpers/meetings'
import { asBrowser, givenUser, loginBrowser } from '#tests/helpers/world'

/**
 * Caller × endpoint matrix of the speaker API (domain §4.2, §12.5, §13),
 * extending the meetings matrix with the two speaker-system roles. The meeting
 * is ongoing, unlisted and not public; its room has an active speaker system
 * (`meeting_roles_to_speaker: ["di"]`) with an active list on an ongoing item.
 *
 * Visibility first: callers without a meeting role get 404 for a path id and
 * 422 (`exists`) for an object named in the body or query; the organisation
 * manager may preview the meeting, so a meeting named in a field is visible to
 * them (403), but speaker objects by id are not (404).
 */
type SpeakerCaller = Caller | 'list_moderator' | 'speaker'
const callers: SpeakerCaller[] = [...allCallers, 'list_moderator', 'speaker']
type Expectation = Partial<Record<SpeakerCaller, number>>

const pa: SpeakerCaller[] = ['participant', 'proposer', 'discusser', 'potential_voter', 'speaker']

function expect(options: {
  moderator: number
  listModerator?: number
  participants?: number
  discusser?: number
  speaker?: number
  invisible?: 404 | 422
  orgManager?: number
}): Expectation {
  const invisible = options.invisible ?? 404
  const result: Expectation = {
    anonymous: 401,
    other_org_user: invisible,
    org_member: invisible,
    meeting_creator: invisible,
    org_manager: options.orgManager ?? invisible,
    moderator: options.moderator,
    list_moderator: options.listModerator ?? options.participants ?? 403,
  }
  for (const caller of pa) result[caller] = options.participants ?? 403
  if (options.discusser !== undefined) result.discusser = options.discusser
  if (options.speaker !== undefined) result.speaker = options.speaker
  return result
}

const cli = systemActor('cli')

async function speakerWorld(client: ApiClient) {
  const base = await meetingWorld(client, { state: 'ongoing' })
  const item = await givenAgendaItem(base.meeting, 'ongoing')
  const room = await new CreateRoom().execute({
    meeting: base.meeting,
    fields: { title: 'Plenary' },
    actor: cli,
  })
  let system = await new CreateSpeakerSystem().execute({
    room,
    fields: { meetingRolesToSpeaker: ['di'] },
    actor: cli,
  })
  const list = await new CreateSpeakerList().execute({
    system,
    agendaItemId: item.id,
    title: 'Main',
    actor: cli,
  })
  system = await new UpdateSpeakerSystem().execute({
    system,
    fields: {},
    activeList: list.id,
    actor: cli,
  })
  const extra: Record<'list_moderator' | 'speaker', User> = {
    list_moderator: await givenUser(base.organisation),
    speaker: await givenUser(base.organisation),
  }
  const roles = new ChangeSpeakerSystemRoles()
  await roles.execute({
    system,
    userIds: [extra.list_moderator.id],
    roles: ['list_moderator'],
    mode: 'add',
    actor: cli,
  })
  await roles.execute({
    system,
    userIds: [extra.speaker.id],
    roles: ['speaker'],
    mode: 'add',
    actor: cli,
  })
  const sessions = {
    list_moderator: await loginBrowser(client, base.host, extra.list_moderator),
    speaker: await loginBrowser(client, base.host, extra.speaker),
  }
  return {
    ...base,
    item,
    room,
    system,
    list,
    extra,
    request(
      caller: SpeakerCaller,
      method: 'get' | 'post' | 'patch' | 'put' | 'delete',
      path: string
    ) {
      if (caller === 'list_moderator' || caller === 'speaker')
        return asBrowser(client[method](path), sessions[caller])
      const request = base.as(caller, client[method](path) as ReturnType<ApiClient['get']>)
      if (caller === 'other_org_user') request.header('host', base.otherHost)
      return request
    },
  }
}
type World = Awaited<ReturnType<typeof speakerWorld>>

/** A queued turn of the discusser (and, with `speaking`, started). */
async function givenTurn(world: World, speaking = false) {
  const { turn } = await new EnterSpeakerList().execute({
    organisationId: world.organisation.id,
    listId: world.list.id,
    userId: world.users.discusser.id,
    kind: 'speech',
    category: null,
    actor: cli,
  })
  if (speaking) {
    await new StartSpeaker().execute({
      organisationId: world.organisation.id,
      listId: world.list.id,
      turnId: turn.id,
      actor: cli,
    })
  }
  return turn
}

interface Endpoint {
  name: string
  method: 'get' | 'post' | 'patch' | 'put' | 'delete'
  prepare: (world: World) => Promise<{ path: string; body?: Record<string, unknown> }>
  expected: Expectation
  write?: boolean
  /** Allowed callers not sent: the first success changes the fixture (e.g. a started turn). */
  skip?: SpeakerCaller[]
}

const endpoints: Endpoint[] = [
  {
    name: 'GET /api/speaker-list-systems',
    method: 'get',
    prepare: async (w) => ({ path: `/api/speaker-list-systems?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422, orgManager: 403 }),
  },
  {
    name: 'POST /api/speaker-list-systems',
    method: 'post',
    prepare: async (w) => {
      const room = await new CreateRoom().execute({
        meeting: w.meeting,
        fields: { title: 'Side room' },
        actor: cli,
      })
      return { path: '/api/speaker-list-systems', body: { room: room.id, method_name: 'priority' } }
    },
    expected: expect({ moderator: 201, invisible: 422, orgManager: 403 }),
    write: true,
  },
  {
    name: 'PATCH /api/speaker-list-systems/{id} (settings)',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/speaker-list-systems/${w.system.id}`,
      body: { safe_positions: 2 },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'PATCH /api/speaker-list-systems/{id} (active_list only)',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/speaker-list-systems/${w.system.id}`,
      body: { active_list: null },
    }),
    expected: expect({ moderator: 200, listModerator: 200 }),
    write: true,
    skip: ['moderator'],
  },
  {
    name: 'GET /api/speaker-list-systems/{id}/event',
    method: 'get',
    prepare: async (w) => ({ path: `/api/speaker-list-systems/${w.system.id}/event` }),
    expected: expect({ moderator: 200, participants: 200 }),
  },
  {
    name: 'POST /api/speaker-list-systems/{id}/event (inactivate)',
    method: 'post',
    prepare: async (w) => ({
      path: `/api/speaker-list-systems/${w.system.id}/event`,
      body: { event: 'inactivate' },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'PUT /api/speaker-systems/{id}/time-budgets',
    method: 'put',
    prepare: async (w) => ({
      path: `/api/speaker-systems/${w.system.id}/time-budgets`,
      body: { budgets: [] },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'POST /api/speaker-lists',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/speaker-lists',
      body: { speaker_system: w.system.id, title: 'Another' },
    }),
    expected: expect({ moderator: 201, listModerator: 201, invisible: 422 }),
    write: true,
  },
  {
    name: 'GET /api/speaker-lists/{id}',
    method: 'get',
    prepare: async (w) => ({ path: `/api/speaker-lists/${w.list.id}` }),
    expected: expect({ moderator: 200, participants: 200 }),
  },
  {
    name: 'POST /api/speaker-lists/{id}/enter',
    method: 'post',
    prepare: async (w) => ({ path: `/api/speaker-lists/${w.list.id}/enter` }),
    expected: expect({ moderator: 201, listModerator: 201, discusser: 201, speaker: 201 }),
    write: true,
  },
  {
    name: 'POST /api/speaker-lists/{id}/shuffle',
    method: 'post',
    prepare: async (w) => {
      await givenTurn(w)
      return { path: `/api/speaker-lists/${w.list.id}/shuffle` }
    },
    expected: expect({ moderator: 200, listModerator: 200 }),
    write: true,
  },
  {
    name: 'POST /api/speakers (put the discusser in the queue)',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/speakers',
      body: { speaker_list: w.list.id, user: w.users.discusser.id },
    }),
    expected: expect({ moderator: 201, listModerator: 201, invisible: 422 }),
    write: true,
    skip: ['moderator'],
  },
  {
    name: 'GET /api/speakers',
    method: 'get',
    prepare: async (w) => ({ path: `/api/speakers?speaker_list=${w.list.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
  {
    name: 'POST /api/speakers/{id}/start',
    method: 'post',
    prepare: async (w) => ({ path: `/api/speakers/${(await givenTurn(w)).id}/start` }),
    expected: expect({ moderator: 200, listModerator: 200 }),
    write: true,
    skip: ['moderator'],
  },
  {
    name: 'POST /api/speakers/{id}/pause',
    method: 'post',
    prepare: async (w) => ({ path: `/api/speakers/${(await givenTurn(w, true)).id}/pause` }),
    expected: expect({ moderator: 200, listModerator: 200 }),
    write: true,
    skip: ['list_moderator'],
  },
  {
    name: 'POST /api/speakers/{id}/stop',
    method: 'post',
    prepare: async (w) => ({ path: `/api/speakers/${(await givenTurn(w, true)).id}/stop` }),
    expected: expect({ moderator: 200, listModerator: 200 }),
    write: true,
    skip: ['moderator'],
  },
  {
    name: 'GET /api/speaker-history',
    method: 'get',
    prepare: async (w) => ({ path: `/api/speaker-history?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422, orgManager: 403 }),
  },
  {
    name: 'GET /api/exports/speakers/{id}',
    method: 'get',
    prepare: async (w) => ({ path: `/api/exports/speakers/${w.system.id}` }),
    expected: expect({ moderator: 200, listModerator: 200 }),
  },
  {
    name: 'GET /api/speaker-system-roles',
    method: 'get',
    prepare: async (w) => ({ path: `/api/speaker-system-roles?context=${w.system.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
  {
    name: 'POST /api/speaker-system-roles/add',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/speaker-system-roles/add',
      body: { context: w.system.id, users: [w.users.proposer.id], roles: ['speaker'] },
    }),
    expected: expect({ moderator: 200, invisible: 422 }),
    write: true,
  },
  {
    name: 'GET /api/rooms',
    method: 'get',
    prepare: async (w) => ({ path: `/api/rooms?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422, orgManager: 403 }),
  },
  {
    name: 'POST /api/rooms',
    method: 'post',
    prepare: async (w) => ({ path: '/api/rooms', body: { meeting: w.meeting.id, title: 'Foyer' } }),
    expected: expect({ moderator: 201, invisible: 422, orgManager: 403 }),
    write: true,
  },
  {
    name: 'GET /api/rooms/{id}/projection',
    method: 'get',
    prepare: async (w) => ({ path: `/api/rooms/${w.room.id}/projection` }),
    expected: expect({ moderator: 200, participants: 200 }),
  },
  {
    name: 'PATCH /api/rooms/{id}/handle',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/rooms/${w.room.id}/handle`,
      body: { token: 'matrix-token-0001' },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'PATCH /api/rooms/{id}/handle-speaker',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/rooms/${w.room.id}/handle-speaker`,
      body: { show_time: true },
    }),
    expected: expect({ moderator: 200, listModerator: 200 }),
    write: true,
    skip: ['moderator'],
  },
  {
    name: 'DELETE /api/rooms/{id}',
    method: 'delete',
    prepare: async (w) => ({ path: `/api/rooms/${w.room.id}` }),
    expected: expect({ moderator: 204 }),
    write: true,
  },
]

/** Allowed callers go last so that denied ones meet the fixture unchanged. */
function callerOrder(expected: Expectation): SpeakerCaller[] {
  const ok = (status: number | undefined) => (status ?? 999) < 300
  return callers
    .filter((caller) => expected[caller] !== undefined)
    .sort((a, b) => Number(ok(expected[a])) - Number(ok(expected[b])))
}

test.group('Permission matrix | speakers and rooms (caller × endpoint)', () => {
  test('{name}')
    .with(endpoints)
    .timeout(90000)
    .run(async ({ client, assert }, endpoint) => {
      const world = await speakerWorld(client)
      const { path, body } = await endpoint.prepare(world)
      const seen: Expectation = {}
      const wanted: Expectation = { ...endpoint.expected }
      for (const caller of endpoint.skip ?? []) delete wanted[caller]
      for (const caller of callerOrder(wanted)) {
        const before = await AuditEntry.forOrganisation(world.organisation.id).count('* as total')
        const request = world.request(caller, endpoint.method, path)
        const response = await (body ? request.json(body) : request)
        seen[caller] = response.status()
        if (endpoint.write && response.status() >= 400) {
          const after = await AuditEntry.forOrganisation(world.organisation.id).count('* as total')
          assert.equal(
            Number(after[0].$extras.total),
            Number(before[0].$extras.total),
            `${caller}: a refused write changed something`
          )
        }
        if (response.status() >= 400)
          assert.isString(response.body().errors?.[0]?.code, `${caller}: error body`)
      }
      assert.deepEqual(seen, wanted)
    })
})
