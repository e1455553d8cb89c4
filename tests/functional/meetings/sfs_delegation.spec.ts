import { test } from '@japa/runner'
import AuditEntry from '#models/audit_entry'
import ElectoralRegister from '#models/electoral_register'
import GroupMembership from '#models/group_membership'
import GroupRole from '#models/group_role'
import MeetingGroup from '#models/meeting_group'
import type User from '#models/user'
import { givenProposals, pollWorld, tokenFor, type PollWorld } from '#tests/helpers/polls'
import { capturePublished, givenRoles } from '#tests/helpers/meetings'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

/**
 * SFS delegation weights (domain §11.6, api.md §6.6):
 * POST /api/meeting-groups/{id}/sfs-delegation-voters.
 */
interface SfsWorld extends PollWorld {
  group: MeetingGroup
  leader: User
  leaderToken: string
  /** A plain member (no group role) and a member without `pv`. */
  member: User
  memberToken: string
  noPv: User
  /** A participant with `pv` outside the group. */
  outsider: User
  outsiderToken: string
}

async function sfsWorld(
  options: { erPolicyName?: string; votes?: number | null } = {}
): Promise<SfsWorld> {
  const world = await pollWorld({
    voters: 3,
    erPolicyName: options.erPolicyName ?? 'gv_auto_before_p',
    groupVotesActive: true,
  })
  const [leader, member, outsider] = world.voters
  const [leaderToken, memberToken, outsiderToken] = world.tokens
  const noPv = await givenUser(world.organisation)
  await givenRoles(world.meeting, noPv, ['pa'])
  const group = await newGroup(world, 'sfs', options.votes === undefined ? 5 : options.votes)
  const leaderRole = await GroupRole.create({
    organisationId: world.organisation.id,
    meetingId: world.meeting.id,
    title: 'Leader',
    roleId: 'leader',
    roles: [],
    rev: 1,
  })
  await membership(world, group, leader, leaderRole.id)
  // A stale allocation that must be cleared because the member is not listed.
  await membership(world, group, member, null, 4)
  await membership(world, group, noPv)
  return {
    ...world,
    group,
    leader,
    leaderToken,
    member,
    memberToken,
    noPv,
    outsider,
    outsiderToken,
  }
}

async function newGroup(world: PollWorld, groupid: string, votes: number | null) {
  return MeetingGroup.create({
    organisationId: world.organisation.id,
    meetingId: world.meeting.id,
    title: groupid,
    body: '',
    groupid,
    votes,
    delegateToId: null,
    showOnSpeaker: true,
    postAs: false,
    tags: [],
    rev: 1,
  })
}

async function membership(
  world: PollWorld,
  group: MeetingGroup,
  user: User,
  role: number | null = null,
  votes: number | null = null
) {
  return GroupMembership.create({
    organisationId: world.organisation.id,
    meetingId: world.meeting.id,
    meetingGroupId: group.id,
    userId: user.id,
    groupRoleId: role,
    votes,
    rev: 1,
  })
}

function post(world: SfsWorld, client: any, token: string, weights: unknown, group = world.group) {
  return world
    .as(token, client.post(`/api/meeting-groups/${group.id}/sfs-delegation-voters`))
    .json({ weights })
}

async function votesOf(world: SfsWorld) {
  const rows = await GroupMembership.forOrganisation(world.organisation.id)
    .where('meeting_group_id', world.group.id)
    .orderBy('id')
  return Object.fromEntries(rows.map((row) => [row.userId, row.votes]))
}

test.group('SFS delegation weights (domain §11.6)', () => {
  test('the leader sets the weights; unlisted members are cleared; audited and broadcast; the next register and poll use them', async ({
    client,
    assert,
  }) => {
    const world = await sfsWorld()
    const { result: response, messages } = await capturePublished<any>(() =>
      post(world, client, world.leaderToken, [
        { user: world.leader.id, weight: 2 },
        { user: world.member.id, weight: 3 },
      ])
    )
    response.assertStatus(200)
    const data = response.body().data
    assert.deepEqual(
      data.map((row: any) => [row.user, row.votes]),
      [
        [world.leader.id, 2],
        [world.member.id, 3],
        [world.noPv.id, null],
      ]
    )
    assert.deepEqual(await votesOf(world), {
      [world.leader.id]: 2,
      [world.member.id]: 3,
      [world.noPv.id]: null,
    })
    // Changed memberships are broadcast (the unchanged noPv one is not).
    const changed = messages.filter((m) => m.type === 'group_membership.changed')
    assert.sameMembers(
      changed.map((m: any) => m.data.user),
      [world.leader.id, world.member.id]
    )
    const audit = await AuditEntry.forOrganisation(world.organisation.id)
      .whereIn('event', ['group_membership.updated', 'meeting_group.delegation_voters_set'])
      .orderBy('id')
    assert.deepEqual(
      audit.map((entry) => [entry.event, entry.actorUserId]),
      [
        ['group_membership.updated', world.leader.id],
        ['group_membership.updated', world.leader.id],
        ['meeting_group.delegation_voters_set', world.leader.id],
      ]
    )
    assert.deepEqual(audit[1].changes, { votes: [4, 3] })
    assert.deepEqual(audit[2].changes, {
      delegation_voters: [{ [world.member.id]: 4 }, { [world.leader.id]: 2, [world.member.id]: 3 }],
    })

    // End to end: a poll started now freezes a register with exactly these weights.
    const [proposal] = await givenProposals(world.item, 1)
    const poll = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Weighted',
      method_name: 'simple',
      proposals: [proposal.id],
      start: true,
    })
    poll.assertStatus(201)
    assert.equal(poll.body().total_weight, 5)
    const register = await ElectoralRegister.findInOrganisation(
      world.organisation.id,
      poll.body().electoral_register
    )
    assert.deepEqual(Object.fromEntries(register!.voterData), {
      [world.leader.id]: 2,
      [world.member.id]: 3,
    })

    // The moderator re-assigns everything to the leader; the following register follows.
    const again = await post(world, client, world.moderatorToken, [
      { user: world.leader.id, weight: 5 },
    ])
    again.assertStatus(200)
    const trigger = await world
      .as(world.moderatorToken, client.post('/api/electoral-registers/trigger-create'))
      .json({ meeting: world.meeting.id })
    trigger.assertStatus(201)
    assert.deepEqual(trigger.body().weights, [{ user: world.leader.id, weight: 5 }])
  })

  test('every bad input is refused naming the field, and nothing changes', async ({
    client,
    assert,
  }) => {
    const world = await sfsWorld()
    const before = await votesOf(world)
    const cases: Array<[unknown, number, string, string?]> = [
      // [weights, status, code, field]
      [[{ user: world.leader.id, weight: 4 }], 422, 'validation.failed', 'weights'],
      [
        [
          { user: world.leader.id, weight: 2 },
          { user: world.leader.id, weight: 3 },
        ],
        422,
        'validation.failed',
        'weights.1.user',
      ],
      [
        [
          { user: world.leader.id, weight: 2 },
          { user: world.outsider.id, weight: 3 },
        ],
        422,
        'validation.failed',
        'weights.1.user',
      ],
      [
        [
          { user: world.noPv.id, weight: 2 },
          { user: world.leader.id, weight: 3 },
        ],
        422,
        'validation.failed',
        'weights.0.user',
      ],
      [
        [
          { user: world.leader.id, weight: 5 },
          { user: world.member.id, weight: 0 },
        ],
        422,
        'validation.failed',
        'weights.1.weight',
      ],
      [[{ user: world.leader.id, weight: 2.5 }], 422, 'validation.failed', 'weights.0.weight'],
      [[{ weight: 5 }], 422, 'validation.failed', 'weights.0.user'],
      [[], 422, 'validation.failed', 'weights'],
      ['5', 422, 'validation.failed', 'weights'],
    ]
    for (const [weights, status, code, field] of cases) {
      const response = await post(world, client, world.leaderToken, weights)
      response.assertStatus(status)
      const error = response.body().errors[0]
      assert.equal(error.code, code, JSON.stringify(weights))
      if (field) assert.equal(error.field, field, JSON.stringify(weights))
    }
    assert.deepEqual(await votesOf(world), before)
    assert.equal(
      (
        await AuditEntry.forOrganisation(world.organisation.id).where(
          'event',
          'meeting_group.delegation_voters_set'
        )
      ).length,
      0
    )
  })

  test('the group needs votes and the meeting the gv_auto_before_p policy', async ({
    client,
    assert,
  }) => {
    const noVotes = await sfsWorld({ votes: null })
    const refused = await post(noVotes, client, noVotes.moderatorToken, [
      { user: noVotes.leader.id, weight: 1 },
    ])
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'sfs.group_without_votes')

    const otherPolicy = await sfsWorld({ erPolicyName: 'group_auto_eq_rnd_bf' })
    const mismatch = await post(otherPolicy, client, otherPolicy.moderatorToken, [
      { user: otherPolicy.leader.id, weight: 5 },
    ])
    mismatch.assertStatus(422)
    assert.equal(mismatch.body().errors[0].code, 'sfs.policy_mismatch')
    assert.isNull((await votesOf(otherPolicy))[otherPolicy.leader.id])
  })

  test('who may: leader of the group and moderators; not plain members, other participants, leaders of other groups or other organisations; not once the meeting is finished', async ({
    client,
    assert,
  }) => {
    const world = await sfsWorld()
    const weights = [{ user: world.leader.id, weight: 5 }]
    // A leader of another group of the same meeting.
    const otherGroup = await newGroup(world, 'other', 2)
    const otherLeader = await givenUser(world.organisation)
    await givenRoles(world.meeting, otherLeader, ['pv'])
    const leaderRole = await GroupRole.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .where('role_id', 'leader')
      .firstOrFail()
    await membership(world, otherGroup, otherLeader, leaderRole.id)
    // A user of another organisation, on their own host.
    const other = await givenOrganisation()
    const stranger = await givenUser(other.organisation)
    const strangerToken = await tokenFor(stranger)

    const expectations: Array<[string, string, number]> = [
      ['leader', world.leaderToken, 200],
      ['moderator', world.moderatorToken, 200],
      ['plain member', world.memberToken, 403],
      ['participant outside the group', world.outsiderToken, 403],
      ['leader of another group', await tokenFor(otherLeader), 403],
    ]
    for (const [name, token, status] of expectations) {
      const response = await post(world, client, token, weights)
      assert.equal(response.status(), status, name)
    }
    const foreign = await client
      .post(`/api/meeting-groups/${world.group.id}/sfs-delegation-voters`)
      .header('host', other.host)
      .header('authorization', `Bearer ${strangerToken}`)
      .json({ weights })
    assert.equal(foreign.status(), 404, 'user of another organisation')
    const anonymous = await client
      .post(`/api/meeting-groups/${world.group.id}/sfs-delegation-voters`)
      .header('host', world.host)
      .json({ weights })
    assert.equal(anonymous.status(), 401, 'anonymous')

    // Finished meeting: nobody, moderators included.
    world.meeting.state = 'closed'
    await world.meeting.save()
    for (const token of [world.leaderToken, world.moderatorToken]) {
      const response = await post(world, client, token, weights)
      response.assertStatus(403)
    }
  })

  test('admin: moderators set the weights on the group screen; a wrong sum changes nothing', async ({
    client,
    assert,
  }) => {
    const world = await sfsWorld()
    const browser = await loginAdmin(client, world.host, world.moderator)
    const path = `/admin/meetings/${world.meeting.id}/groups/${world.group.id}`
    const page = await visit(browser, path)
    page.assertStatus(200)
    assert.include(page.text(), '<h2>Delegation weights</h2>')
    assert.include(page.text(), '(not a potential voter)')
    const form = (weights: Array<[User, string]>) =>
      Object.fromEntries(
        weights.flatMap(([user, weight], index) => [
          [`weights[${index}][user]`, String(user.id)],
          [`weights[${index}][weight]`, weight],
        ])
      )
    const before = await votesOf(world)
    const wrong = await submit(
      browser,
      `${path}/weights`,
      form([
        [world.leader, '1'],
        [world.member, '1'],
        [world.noPv, ''],
      ])
    )
    assert.equal(wrong.status(), 302)
    assert.deepEqual(await votesOf(world), before)
    assert.include(
      (await visit(browser, path)).text(),
      'The weights add up to 2; the group has 5 votes'
    )

    const saved = await submit(
      browser,
      `${path}/weights`,
      form([
        [world.leader, '4'],
        [world.member, '1'],
        [world.noPv, ''],
      ])
    )
    assert.equal(redirectedTo(saved), path)
    assert.deepEqual(await votesOf(world), {
      [world.leader.id]: 4,
      [world.member.id]: 1,
      [world.noPv.id]: null,
    })

    // Under another register policy the form is not offered.
    world.meeting.erPolicyName = 'auto_before_poll'
    await world.meeting.save()
    assert.notInclude((await visit(browser, path)).text(), '<h2>Delegation weights</h2>')
  })
})
