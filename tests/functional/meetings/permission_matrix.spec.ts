import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import AuditEntry from '#models/audit_entry'
import { systemActor } from '#services/audit_log'
import { CreateGroup } from '#actions/groups/change_group'
import { CreateGroupRole } from '#actions/groups/change_group_role'
import { CreateMembership } from '#actions/groups/change_membership'
import { allCallers, givenAgendaItem, meetingWorld, type Caller } from '#tests/helpers/meetings'

type World = Awaited<ReturnType<typeof meetingWorld>>
type Expectation = Record<Caller, number>

const participants: Caller[] = ['participant', 'proposer', 'discusser', 'potential_voter']

/**
 * Expected statuses for an unlisted, non-public, upcoming meeting (domain
 * §3.3, §7.6, §8.3; api.md §4): callers who cannot see the meeting get 404 for
 * a path id and 422 (`exists`) for a meeting named in the body or query;
 * anonymous callers of authenticated routes get 401. The org manager can
 * preview every meeting, so it is visible to them (403 rather than 404).
 */
function expect(options: {
  moderator: number
  participants?: number
  orgManager?: number
  invisible?: 404 | 422
  anonymous?: number
  orgMember?: number
  meetingCreator?: number
  otherOrg?: number
}): Expectation {
  const invisible = options.invisible ?? 404
  const result = {
    anonymous: options.anonymous ?? 401,
    other_org_user: options.otherOrg ?? invisible,
    org_member: options.orgMember ?? invisible,
    moderator: options.moderator,
    org_manager: options.orgManager ?? 403,
    meeting_creator: options.meetingCreator ?? options.orgMember ?? invisible,
  } as Expectation
  for (const caller of participants) result[caller] = options.participants ?? 403
  return result
}

interface Endpoint {
  name: string
  method: 'get' | 'post' | 'patch' | 'delete'
  /** Path and body for the world (fixtures are created here). */
  prepare: (world: World) => Promise<{ path: string; body?: Record<string, unknown> }>
  expected: Expectation
  /** Whether a refused request must leave the audit log untouched (writes). */
  write?: boolean
}

const cli = systemActor('cli')
const group = (world: World) =>
  new CreateGroup().execute({
    meeting: world.meeting,
    fields: { title: `G ${Math.random()}` },
    actor: cli,
  })
const groupRole = (world: World) =>
  new CreateGroupRole().execute({
    meeting: world.meeting,
    title: `R ${Math.random()}`,
    roles: ['pv'],
    actor: cli,
  })

const endpoints: Endpoint[] = [
  {
    name: 'GET /api/state-machines',
    method: 'get',
    prepare: async () => ({ path: '/api/state-machines' }),
    expected: Object.fromEntries(allCallers.map((caller) => [caller, 200])) as Expectation,
  },
  {
    name: 'GET /api/meetings',
    method: 'get',
    prepare: async () => ({ path: '/api/meetings' }),
    expected: Object.fromEntries(allCallers.map((caller) => [caller, 200])) as Expectation,
  },
  {
    name: 'GET /api/meetings/{id}',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meetings/${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, orgManager: 200, anonymous: 404 }),
  },
  {
    name: 'POST /api/meetings',
    method: 'post',
    prepare: async () => ({ path: '/api/meetings', body: { title: 'New' } }),
    expected: expect({
      moderator: 403,
      orgManager: 201,
      meetingCreator: 201,
      orgMember: 403,
      otherOrg: 403,
    }),
    write: true,
  },
  {
    name: 'PATCH /api/meetings/{id}',
    method: 'patch',
    prepare: async (w) => ({ path: `/api/meetings/${w.meeting.id}`, body: { title: 'Renamed' } }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'PATCH /api/meetings/{id} (default_secret_polls)',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/meetings/${w.meeting.id}`,
      body: { default_secret_polls: false },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'GET /api/meetings/{id}/event',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meetings/${w.meeting.id}/event` }),
    expected: expect({ moderator: 200, participants: 200, anonymous: 404 }),
  },
  {
    name: 'POST /api/meetings/{id}/event',
    method: 'post',
    prepare: async (w) => ({
      path: `/api/meetings/${w.meeting.id}/event`,
      body: { event: 'make_ongoing' },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'POST /api/meetings/{id}/agenda-order',
    method: 'post',
    prepare: async (w) => {
      const a = await givenAgendaItem(w.meeting)
      const b = await givenAgendaItem(w.meeting)
      return { path: `/api/meetings/${w.meeting.id}/agenda-order`, body: { order: [b.id, a.id] } }
    },
    expected: expect({ moderator: 204 }),
    write: true,
  },
  {
    name: 'GET /api/meeting-roles',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meeting-roles?context=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
  {
    name: 'GET /api/meeting-roles/available',
    method: 'get',
    prepare: async () => ({ path: '/api/meeting-roles/available' }),
    expected: {
      ...(Object.fromEntries(allCallers.map((caller) => [caller, 200])) as Expectation),
      anonymous: 401,
    },
  },
  {
    name: 'POST /api/meeting-roles/add',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-roles/add',
      body: { context: w.meeting.id, users: [w.users.org_member.id], roles: ['pa'] },
    }),
    expected: expect({ moderator: 200, orgManager: 200, invisible: 422 }),
    write: true,
  },
  {
    name: 'POST /api/meeting-roles/remove',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-roles/remove',
      body: { context: w.meeting.id, users: [w.users.proposer.id], roles: ['pr'] },
    }),
    expected: expect({ moderator: 200, orgManager: 200, invisible: 422 }),
    write: true,
  },
  {
    name: 'GET /api/agenda-items',
    method: 'get',
    prepare: async (w) => ({ path: `/api/agenda-items?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422, anonymous: 422 }),
  },
  {
    name: 'POST /api/agenda-items',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/agenda-items',
      body: { meeting: w.meeting.id, title: 'New item' },
    }),
    expected: expect({ moderator: 201, invisible: 422 }),
    write: true,
  },
  {
    name: 'GET /api/agenda-items/{id} (upcoming item)',
    method: 'get',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'upcoming')).id}`,
    }),
    expected: expect({ moderator: 200, participants: 200, orgManager: 404, anonymous: 404 }),
  },
  {
    name: 'GET /api/agenda-items/{id} (private item)',
    method: 'get',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'private')).id}`,
    }),
    expected: expect({ moderator: 200, participants: 404, orgManager: 404, anonymous: 404 }),
  },
  {
    name: 'PATCH /api/agenda-items/{id}',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'upcoming')).id}`,
      body: { title: 'Changed' },
    }),
    expected: expect({ moderator: 200, orgManager: 404 }),
    write: true,
  },
  {
    name: 'DELETE /api/agenda-items/{id}',
    method: 'delete',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'upcoming')).id}`,
    }),
    expected: expect({ moderator: 204, orgManager: 404 }),
    write: true,
  },
  {
    name: 'GET /api/agenda-items/{id}/event',
    method: 'get',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'upcoming')).id}/event`,
    }),
    expected: expect({ moderator: 200, participants: 200, orgManager: 404, anonymous: 404 }),
  },
  {
    name: 'POST /api/agenda-items/{id}/event',
    method: 'post',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'upcoming')).id}/event`,
      body: { event: 'unpublish' },
    }),
    expected: expect({ moderator: 200, orgManager: 404 }),
    write: true,
  },
  {
    name: 'POST /api/agenda-items/bulk-change',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/agenda-items/bulk-change',
      body: {
        meeting: w.meeting.id,
        agenda_items: [(await givenAgendaItem(w.meeting)).id],
        state: 'upcoming',
      },
    }),
    expected: expect({ moderator: 200, invisible: 422 }),
    write: true,
  },
  {
    name: 'POST /api/agenda-items/bulk-delete',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/agenda-items/bulk-delete',
      body: { meeting: w.meeting.id, agenda_items: [(await givenAgendaItem(w.meeting)).id] },
    }),
    expected: expect({ moderator: 200, invisible: 422 }),
    write: true,
  },
  {
    name: 'POST /api/agenda-items/{id}/mark-read',
    method: 'post',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'upcoming')).id}/mark-read`,
    }),
    expected: expect({ moderator: 200, participants: 200, orgManager: 404 }),
  },
  {
    name: 'GET /api/last-read',
    method: 'get',
    prepare: async (w) => ({ path: `/api/last-read?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
  {
    name: 'GET /api/meeting-groups',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meeting-groups?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
  {
    name: 'POST /api/meeting-groups',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-groups',
      body: { meeting: w.meeting.id, title: 'Board' },
    }),
    expected: expect({ moderator: 201, invisible: 422 }),
    write: true,
  },
  {
    name: 'PATCH /api/meeting-groups/{id}',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/meeting-groups/${(await group(w)).id}`,
      body: { votes: 3 },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'DELETE /api/meeting-groups/{id}',
    method: 'delete',
    prepare: async (w) => ({ path: `/api/meeting-groups/${(await group(w)).id}` }),
    expected: expect({ moderator: 204 }),
    write: true,
  },
  {
    name: 'POST /api/meeting-groups/bulk-create',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-groups/bulk-create',
      body: { meeting: w.meeting.id, groups: 'One\tone\t2\nTwo\ttwo' },
    }),
    expected: expect({ moderator: 200, invisible: 422 }),
    write: true,
  },
  {
    name: 'POST /api/meeting-groups/bulk-delete',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-groups/bulk-delete',
      body: { meeting: w.meeting.id, groups: [(await group(w)).id] },
    }),
    expected: expect({ moderator: 200, invisible: 422 }),
    write: true,
  },
  {
    name: 'GET /api/group-memberships',
    method: 'get',
    prepare: async (w) => ({ path: `/api/group-memberships?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
  {
    name: 'POST /api/group-memberships',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/group-memberships',
      body: {
        meeting_group: (await group(w)).id,
        user: w.users.participant.id,
        role: (await groupRole(w)).id,
      },
    }),
    expected: expect({ moderator: 201, invisible: 422 }),
    write: true,
  },
  {
    name: 'PATCH /api/group-memberships/{id}',
    method: 'patch',
    prepare: async (w) => {
      const membership = await new CreateMembership().execute({
        meeting: w.meeting,
        group: await group(w),
        userId: w.users.participant.id,
        actor: cli,
      })
      return { path: `/api/group-memberships/${membership.id}`, body: { votes: 1 } }
    },
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'DELETE /api/group-memberships/{id}',
    method: 'delete',
    prepare: async (w) => {
      const membership = await new CreateMembership().execute({
        meeting: w.meeting,
        group: await group(w),
        userId: w.users.participant.id,
        actor: cli,
      })
      return { path: `/api/group-memberships/${membership.id}` }
    },
    expected: expect({ moderator: 204 }),
    write: true,
  },
  {
    name: 'GET /api/group-roles',
    method: 'get',
    prepare: async (w) => ({ path: `/api/group-roles?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
  {
    name: 'POST /api/group-roles',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/group-roles',
      body: { meeting: w.meeting.id, title: 'Main', roles: ['pv'] },
    }),
    expected: expect({ moderator: 201, invisible: 422 }),
    write: true,
  },
  {
    name: 'PATCH /api/group-roles/{id}',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/group-roles/${(await groupRole(w)).id}`,
      body: { roles: ['pv', 'pr'] },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'DELETE /api/group-roles/{id}',
    method: 'delete',
    prepare: async (w) => ({ path: `/api/group-roles/${(await groupRole(w)).id}` }),
    expected: expect({ moderator: 204 }),
    write: true,
  },
]

/** Allowed callers go last so that denied ones meet the fixture unchanged. */
function callerOrder(expected: Expectation): Caller[] {
  const ok = (status: number) => status < 300
  return [...allCallers].sort((a, b) => Number(ok(expected[a])) - Number(ok(expected[b])))
}

async function send(
  client: ApiClient,
  world: World,
  caller: Caller,
  endpoint: Endpoint,
  path: string,
  body?: object
) {
  const request = world.as(caller, client[endpoint.method](path))
  if (caller === 'other_org_user') request.header('host', world.otherHost)
  return body ? request.json(body) : request
}

async function runMatrix(
  client: ApiClient,
  assert: any,
  endpoint: Endpoint,
  options: Parameters<typeof meetingWorld>[1] = {}
) {
  const world = await meetingWorld(client, options)
  const { path, body } = await endpoint.prepare(world)
  const seen: Record<string, number> = {}
  for (const caller of callerOrder(endpoint.expected)) {
    const auditBefore = await AuditEntry.forOrganisation(world.organisation.id).count('* as total')
    const response = await send(client, world, caller, endpoint, path, body)
    seen[caller] = response.status()
    if (endpoint.write && response.status() >= 400) {
      const auditAfter = await AuditEntry.forOrganisation(world.organisation.id).count('* as total')
      assert.equal(
        auditAfter[0].$extras.total,
        auditBefore[0].$extras.total,
        `${caller}: a refused write changed something`
      )
    }
    if (response.status() >= 400) {
      assert.isString(response.body().errors?.[0]?.code, `${caller}: error body`)
    }
  }
  assert.deepEqual(seen, endpoint.expected)
}

test.group('Permission matrix | meetings, roles, groups, agenda (caller × endpoint)', () => {
  test('{name}')
    .with(endpoints)
    .timeout(60000)
    .run(({ client, assert }, endpoint) => runMatrix(client, assert, endpoint))
})

/**
 * An ongoing meeting that is public and listed: everyone of the organisation
 * can see it (preview or public read), so refusals become 403 instead of
 * 404/422; anonymous visitors read it through the public paths (§7.7).
 */
const all = (status: number) =>
  Object.fromEntries(allCallers.map((caller) => [caller, status])) as Expectation
const openMeeting: Endpoint[] = [
  {
    name: 'GET /api/meetings/{id}',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meetings/${w.meeting.id}` }),
    expected: { ...all(200), other_org_user: 404 },
  },
  {
    name: 'GET /api/meetings/{id}/event',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meetings/${w.meeting.id}/event` }),
    expected: { ...all(200), other_org_user: 404 },
  },
  {
    name: 'PATCH /api/meetings/{id}',
    method: 'patch',
    prepare: async (w) => ({ path: `/api/meetings/${w.meeting.id}`, body: { title: 'x' } }),
    expected: { ...all(403), anonymous: 401, other_org_user: 404, moderator: 200 },
    write: true,
  },
  {
    name: 'PATCH /api/meetings/{id} (default_secret_polls)',
    method: 'patch',
    prepare: async (w) => ({
      path: `/api/meetings/${w.meeting.id}`,
      body: { default_secret_polls: false },
    }),
    expected: { ...all(403), anonymous: 401, other_org_user: 404, moderator: 200 },
    write: true,
  },
  {
    name: 'POST /api/meetings/{id}/event (close)',
    method: 'post',
    prepare: async (w) => ({
      path: `/api/meetings/${w.meeting.id}/event`,
      body: { event: 'close' },
    }),
    expected: { ...all(403), anonymous: 401, other_org_user: 404, moderator: 200 },
    write: true,
  },
  {
    name: 'GET /api/agenda-items',
    method: 'get',
    prepare: async (w) => ({ path: `/api/agenda-items?meeting=${w.meeting.id}` }),
    expected: { ...all(200), other_org_user: 422 },
  },
  {
    name: 'GET /api/agenda-items/{id} (ongoing item)',
    method: 'get',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'ongoing')).id}`,
    }),
    expected: { ...all(200), other_org_user: 404 },
  },
  {
    name: 'POST /api/agenda-items/{id}/mark-read',
    method: 'post',
    prepare: async (w) => ({
      path: `/api/agenda-items/${(await givenAgendaItem(w.meeting, 'ongoing')).id}/mark-read`,
    }),
    expected: {
      ...all(200),
      anonymous: 401,
      other_org_user: 404,
      org_member: 403,
      org_manager: 403,
      meeting_creator: 403,
    },
  },
  {
    name: 'GET /api/meeting-roles',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meeting-roles?context=${w.meeting.id}` }),
    expected: {
      ...all(200),
      anonymous: 401,
      other_org_user: 422,
      org_member: 403,
      org_manager: 403,
      meeting_creator: 403,
    },
  },
  {
    name: 'POST /api/meeting-roles/add',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-roles/add',
      body: { context: w.meeting.id, users: [w.users.org_member.id], roles: ['pa'] },
    }),
    expected: {
      ...all(403),
      anonymous: 401,
      other_org_user: 422,
      moderator: 200,
      org_manager: 200,
    },
    write: true,
  },
  {
    name: 'POST /api/agenda-items',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/agenda-items',
      body: { meeting: w.meeting.id, title: 'New' },
    }),
    expected: { ...all(403), anonymous: 401, other_org_user: 422, moderator: 201 },
    write: true,
  },
  {
    name: 'GET /api/meeting-groups',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meeting-groups?meeting=${w.meeting.id}` }),
    expected: {
      ...all(200),
      anonymous: 401,
      other_org_user: 422,
      org_member: 403,
      org_manager: 403,
      meeting_creator: 403,
    },
  },
]

test.group('Permission matrix | public and listed ongoing meeting', () => {
  test('{name}')
    .with(openMeeting)
    .timeout(60000)
    .run(({ client, assert }, endpoint) =>
      runMatrix(client, assert, endpoint, { state: 'ongoing', public: true, visibleInLists: true })
    )
})

/** A meeting in `archiving`: nothing changes any more, but deletion may still be requested. */
const archivingMeeting: Endpoint[] = [
  {
    name: 'PATCH /api/meetings/{id}',
    method: 'patch',
    prepare: async (w) => ({ path: `/api/meetings/${w.meeting.id}`, body: { title: 'x' } }),
    expected: expect({ moderator: 403 }),
    write: true,
  },
  {
    name: 'POST /api/meetings/{id}/event (abort_archiving)',
    method: 'post',
    prepare: async (w) => ({
      path: `/api/meetings/${w.meeting.id}/event`,
      body: { event: 'abort_archiving' },
    }),
    expected: expect({ moderator: 200 }),
    write: true,
  },
  {
    name: 'POST /api/meeting-roles/add',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-roles/add',
      body: { context: w.meeting.id, users: [w.users.org_member.id], roles: ['pa'] },
    }),
    expected: expect({ moderator: 403, orgManager: 403, invisible: 422 }),
    write: true,
  },
  {
    name: 'POST /api/agenda-items',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/agenda-items',
      body: { meeting: w.meeting.id, title: 'New' },
    }),
    expected: expect({ moderator: 403, invisible: 422 }),
    write: true,
  },
  {
    name: 'POST /api/meeting-groups',
    method: 'post',
    prepare: async (w) => ({
      path: '/api/meeting-groups',
      body: { meeting: w.meeting.id, title: 'G' },
    }),
    expected: expect({ moderator: 403, invisible: 422 }),
    write: true,
  },
  {
    name: 'GET /api/meeting-groups',
    method: 'get',
    prepare: async (w) => ({ path: `/api/meeting-groups?meeting=${w.meeting.id}` }),
    expected: expect({ moderator: 200, participants: 200, invisible: 422 }),
  },
]

test.group('Permission matrix | meeting in archiving', () => {
  test('{name}')
    .with(archivingMeeting)
    .timeout(60000)
    .run(({ client, assert }, endpoint) =>
      runMatrix(client, assert, endpoint, { state: 'archiving' })
    )
})
