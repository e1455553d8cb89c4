import { test } from '@japa/runner'
import { registerSink, type OutgoingMessage } from '#realtime/publish'
import { runCommand } from '#tests/helpers/commands'
import PollVerifyChecksums from '../../../commands/poll_verify_checksums.js'
import { DateTime } from 'luxon'
import { createHash } from 'node:crypto'
import Proposal from '#models/proposal'
import Poll from '#models/poll'
import Vote from '#models/vote'
import ElectoralRegister from '#models/electoral_register'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import GroupMembership from '#models/group_membership'
import ActiveUser from '#models/active_user'
import MeetingComponent from '#models/meeting_component'
import ChangeMeetingRoles from '#actions/meetings/change_meeting_roles'
import { systemActor } from '#services/audit_log'
import { capturePublished, givenRoles } from '#tests/helpers/meetings'
import { givenUser } from '#tests/helpers/world'
import { givenProposals, pollWorld, tokenFor, type PollWorld } from '#tests/helpers/polls'

/** The poll and register scenarios of scenarios.md (S17–S34) as HTTP tests. */

async function newPoll(client: any, world: PollWorld, body: Record<string, unknown>) {
  const response = await world
    .as(world.moderatorToken, client.post('/api/polls'))
    .json({ agenda_item: world.item.id, title: 'Poll', ...body })
  if (response.status() !== 201)
    throw new Error(`poll not created: ${JSON.stringify(response.body())}`)
  return response.body()
}

async function fire(
  client: any,
  world: PollWorld,
  pollId: number,
  event: string,
  extra: Record<string, unknown> = {}
) {
  return world
    .as(world.moderatorToken, client.post(`/api/polls/${pollId}/event`))
    .json({ event, ...extra })
}

async function vote(client: any, world: PollWorld, token: string, body: Record<string, unknown>) {
  return world.as(token, client.post('/api/votes')).json(body)
}

const state = async (world: PollWorld, id: number) =>
  (await Poll.findInOrganisation(world.organisation.id, id))!
const proposalState = async (world: PollWorld, id: number) =>
  (await Proposal.findInOrganisation(world.organisation.id, id))!.state

test.group('Polls scenarios (scenarios.md §4)', () => {
  test('S17 a simple poll needs exactly one proposal to start', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1, pr2] = await givenProposals(world.item, 2)
    const p0 = await newPoll(client, world, { method_name: 'simple', proposals: [] })
    const p2 = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id, pr2.id] })
    const p1 = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    for (const poll of [p0, p2, p1])
      (await fire(client, world, poll.id, 'make_upcoming')).assertStatus(200)
    for (const poll of [p0, p2]) {
      const refused = await fire(client, world, poll.id, 'make_ongoing')
      refused.assertStatus(422)
      assert.equal(refused.body().errors[0].code, 'poll.start_check_failed')
      assert.equal((await state(world, poll.id)).state, 'upcoming')
    }
    const { result: started, messages } = await capturePublished(() =>
      fire(client, world, p1.id, 'make_ongoing')
    )
    started.assertStatus(200)
    assert.equal(started.body().state, 'ongoing')
    assert.isString(started.body().object.started)
    // Every poll.changed of the opening carries the announcement (api.md §7.3).
    const changed = messages.filter((m) => m.type === 'poll.changed')
    assert.isAbove(changed.length, 1)
    for (const message of changed) assert.equal(message.announce?.key, 'poll.opened')
  })

  test('S18 a simple poll decides its proposal (participants are told)', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    for (const [i, choice] of ['yes', 'yes', 'no'].entries()) {
      ;(
        await vote(client, world, world.tokens[i], { poll: poll.id, vote: { choice } })
      ).assertStatus(201)
    }
    const { messages } = await capturePublished(() => fire(client, world, poll.id, 'close'))
    const stored = await state(world, poll.id)
    assert.equal(stored.state, 'finished')
    assert.deepInclude(stored.result!, {
      yes: 2,
      no: 1,
      approved: [pr1.id],
      denied: [],
      vote_count: 3,
    })
    assert.equal(await proposalState(world, pr1.id), 'approved')
    const participants = messages.filter(
      (m) => m.channel === `meetings/${world.meeting.id}/participants`
    )
    assert.isTrue(
      participants.some(
        (m) =>
          m.type === 'poll.changed' &&
          (m.data as any).state === 'finished' &&
          (m.data as any).result
      )
    )
    assert.isTrue(
      participants.some(
        (m) => m.type === 'proposal.changed' && (m.data as any).state === 'approved'
      )
    )
    // Announced for assistive technology (api.md §7.3, beyond.md B-NEW-05).
    const finished = participants.find(
      (m) => m.type === 'poll.changed' && (m.data as any).state === 'finished'
    )!
    assert.deepEqual(finished.announce, {
      key: 'poll.result_published',
      params: { poll: poll.id, meeting: world.meeting.id, title: (finished.data as any).title },
    })
  })

  test('S19 a poll without counted votes ends as no_result', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 2 })
    const [pr1] = await givenProposals(world.item, 1)
    const nobody = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    ;(await fire(client, world, nobody.id, 'close')).assertStatus(200)
    assert.equal((await state(world, nobody.id)).state, 'no_result')
    const abstained = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    for (const token of world.tokens)
      (await vote(client, world, token, { poll: abstained.id, abstain: true })).assertStatus(201)
    const closed = await fire(client, world, abstained.id, 'close')
    assert.equal(closed.body().state, 'no_result')
    assert.notProperty(closed.body().object, 'result')
    assert.equal(await proposalState(world, pr1.id), 'published')
  })

  test('S20 withheld results reach participants only when published', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      withheld_result: true,
      start: true,
    })
    ;(
      await vote(client, world, world.tokens[0], { poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    const { messages } = await capturePublished(() => fire(client, world, poll.id, 'close'))
    assert.equal((await state(world, poll.id)).state, 'withheld')
    const moderators = messages.find(
      (m) =>
        m.type === 'poll.changed' &&
        m.channel.endsWith('/moderators') &&
        (m.data as any).state === 'withheld'
    )
    const participants = messages.find(
      (m) =>
        m.type === 'poll.changed' &&
        m.channel.endsWith('/participants') &&
        (m.data as any).state === 'withheld'
    )
    assert.property(moderators!.data as object, 'result')
    assert.notProperty(participants!.data as object, 'result')
    // A withheld result is announced to moderators only.
    assert.equal(moderators!.announce?.key, 'poll.result_withheld')
    assert.isUndefined(participants!.announce)
    const asVoter = await world.as(world.tokens[0], client.get(`/api/polls/${poll.id}`))
    assert.notProperty(asVoter.body(), 'result')
    ;(await world.as(world.tokens[0], client.get(`/api/polls/${poll.id}/bundle`))).assertStatus(404)
    assert.equal(await proposalState(world, pr1.id), 'voting')
    const published = await fire(client, world, poll.id, 'publish_result')
    published.assertStatus(200)
    assert.equal(published.body().state, 'finished')
    assert.isFalse(published.body().object.withheld_result)
    assert.equal(await proposalState(world, pr1.id), 'approved')
  })

  test('S21 cancelling a poll releases its proposals', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1, pr2] = await givenProposals(world.item, 2)
    const poll = await newPoll(client, world, {
      method_name: 'majority',
      proposals: [pr1.id, pr2.id],
      start: true,
    })
    assert.equal(await proposalState(world, pr1.id), 'voting')
    const canceled = await fire(client, world, poll.id, 'cancel')
    assert.equal(canceled.body().state, 'canceled')
    assert.isString(canceled.body().object.closed)
    assert.equal(await proposalState(world, pr1.id), 'published')
    assert.equal(await proposalState(world, pr2.id), 'published')
  })

  test('S22 only registered voters vote; re-casting replaces; abstain excludes a vote', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const nils = await givenUser(world.organisation)
    await givenRoles(world.meeting, nils, ['pa'])
    const nilsToken = await tokenFor(nils)
    const [pr1, pr2] = await givenProposals(world.item, 2)
    const poll = await newPoll(client, world, {
      method_name: 'combined_simple',
      proposals: [pr1.id, pr2.id],
      start: true,
    })
    const ballot = { yes: [pr1.id], no: [pr2.id], abstain: [] }
    ;(await vote(client, world, nilsToken, { poll: poll.id, vote: ballot })).assertStatus(403)
    const { messages } = await capturePublished(async () => {
      ;(await vote(client, world, world.tokens[0], { poll: poll.id, vote: ballot })).assertStatus(
        201
      )
      ;(
        await vote(client, world, world.tokens[0], {
          poll: poll.id,
          vote: { yes: [], no: [pr1.id, pr2.id], abstain: [] },
        })
      ).assertStatus(200)
    })
    const mine = await world.as(world.tokens[0], client.get(`/api/votes?poll=${poll.id}`))
    assert.lengthOf(mine.body().data, 1)
    assert.deepEqual(mine.body().data[0].vote, { yes: [], no: [pr1.id, pr2.id], abstain: [] })
    assert.lengthOf(
      messages.filter(
        (m) => m.channel === `users/${world.voters[0].id}` && m.type === 'vote.changed'
      ),
      2
    )
    // Nobody else reads the vote.
    const others = await world.as(world.moderatorToken, client.get(`/api/votes?poll=${poll.id}`))
    assert.lengthOf(others.body().data, 0)
    const both = await vote(client, world, world.tokens[0], {
      poll: poll.id,
      abstain: true,
      vote: ballot,
    })
    both.assertStatus(422)
    assert.equal(both.body().errors[0].code, 'vote.abstain_with_vote')
  })

  test('S23 votes are weighted by the register (manual policy)', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 3, erPolicyName: 'manual' })
    const [a, b, c] = world.voters
    const [pr1] = await givenProposals(world.item, 1)
    const er = await world
      .as(world.moderatorToken, client.post('/api/electoral-registers/manual-create'))
      .json({
        meeting: world.meeting.id,
        weights: [
          { user: a.id, weight: 3 },
          { user: b.id, weight: 1 },
          { user: c.id, weight: 2 },
        ],
      })
    er.assertStatus(201)
    const same = await world
      .as(world.moderatorToken, client.post('/api/electoral-registers/manual-create'))
      .json({
        meeting: world.meeting.id,
        weights: [
          { user: c.id, weight: 2 },
          { user: a.id, weight: 3 },
          { user: b.id, weight: 1 },
        ],
      })
    same.assertStatus(204)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    assert.equal(poll.total_weight, 6)
    ;(
      await vote(client, world, world.tokens[0], { poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    ;(
      await vote(client, world, world.tokens[1], { poll: poll.id, vote: { choice: 'no' } })
    ).assertStatus(201)
    ;(await vote(client, world, world.tokens[2], { poll: poll.id, abstain: true })).assertStatus(
      201
    )
    const live = await world.as(world.moderatorToken, client.get(`/api/polls/${poll.id}`))
    assert.deepInclude(live.body(), { voted: 3, total: 3, voted_weight: 6, total_weight: 6 })
    const closed = await fire(client, world, poll.id, 'close')
    assert.deepInclude(closed.body().object.result, { yes: 3, no: 1, vote_count: 4 })
    assert.equal(closed.body().object.abstain_count, 2)
  })

  test('S24 a voter who lost voting rights during the poll is not counted (auto_always)', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2, erPolicyName: 'auto_always' })
    const [a, b] = world.voters
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    ;(
      await vote(client, world, world.tokens[0], { poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    ;(
      await vote(client, world, world.tokens[1], { poll: poll.id, vote: { choice: 'no' } })
    ).assertStatus(201)
    await new ChangeMeetingRoles().execute({
      meeting: world.meeting,
      userIds: [b.id],
      roles: ['pv'],
      mode: 'remove',
      actor: systemActor('cli'),
    })
    const reattached = await state(world, poll.id)
    assert.notEqual(reattached.electoralRegisterId, poll.electoral_register)
    const { messages } = await capturePublished(() => fire(client, world, poll.id, 'close'))
    const closed = await state(world, poll.id)
    assert.deepInclude(closed.result!, {
      yes: 1,
      no: 0,
      approved: [pr1.id],
      denied: [],
      vote_count: 1,
    })
    assert.isTrue(messages.some((m) => m.channel === `users/${b.id}` && m.type === 'vote.deleted'))
    assert.isFalse(messages.some((m) => m.channel === `users/${a.id}` && m.type === 'vote.deleted'))
  })

  test('S26 Scottish STV needs more proposals than winners', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 3)
    const poll = await newPoll(client, world, {
      method_name: 'scottish_stv',
      settings: { winners: 3, allow_random: true },
      proposals: proposals.map((p) => p.id),
    })
    ;(await fire(client, world, poll.id, 'make_upcoming')).assertStatus(200)
    const refused = await fire(client, world, poll.id, 'make_ongoing')
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'poll.start_check_failed')
  })

  test('S27 Dutt enforces the maximum number of choices; settings are validated by the library', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const proposals = await givenProposals(world.item, 4)
    const badSettings = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'x',
      method_name: 'dutt',
      settings: { min: 0, max: 2, extra: 1 },
      proposals: proposals.map((p) => p.id),
    })
    badSettings.assertStatus(422)
    assert.match(badSettings.body().errors[0].field, /^settings/)
    const poll = await newPoll(client, world, {
      method_name: 'dutt',
      settings: { min: 0, max: 2 },
      proposals: proposals.map((p) => p.id),
      start: true,
    })
    const tooMany = await vote(client, world, world.tokens[0], {
      poll: poll.id,
      vote: { choices: proposals.slice(0, 3).map((p) => p.id) },
    })
    tooMany.assertStatus(422)
    assert.equal(tooMany.body().errors[0].code, 'vote.invalid')
    assert.include(tooMany.body().errors[0].message, 'Too many proposals picked')
  })

  test('S28 finished results are final and verifiable', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 2 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    ;(
      await vote(client, world, world.tokens[0], { poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    ;(await fire(client, world, poll.id, 'close')).assertStatus(200)
    const before = await state(world, poll.id)
    const again = await fire(client, world, poll.id, 'close')
    again.assertStatus(422)
    assert.equal(again.body().errors[0].code, 'transition.unavailable')
    const after = await state(world, poll.id)
    assert.deepEqual(after.result, before.result)
    assert.equal(after.ballotData, before.ballotData)
    assert.equal(
      createHash('sha512').update(after.ballotData!, 'utf8').digest('hex'),
      after.ballotChecksum
    )
    const { stdout } = await runCommand(PollVerifyChecksums, [
      '--meeting',
      String(world.meeting.id),
    ])
    assert.include(stdout, `poll ${poll.id}: matches`)
    // Finalising twice is an error (write-once), even when called directly.
    const again2 = await import('#actions/polls/close_poll')
    const { systemActor: cli } = await import('#services/audit_log')
    const reopened = await Poll.findInOrganisation(world.organisation.id, poll.id)
    reopened!.state = 'ongoing'
    await reopened!.save()
    await assert.rejects(
      () =>
        new again2.default().execute({
          poll: reopened!,
          user: null,
          actor: cli('cli'),
          force: true,
        }),
      /already been counted/
    )
  })
})

test.group('Electoral register scenarios (scenarios.md §5)', () => {
  test('S29 auto_before_poll creates and reuses registers (er.changed before poll.changed)', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const [pr1] = await givenProposals(world.item, 1)
    const p1 = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    const p2 = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    const { messages } = await capturePublished(() => fire(client, world, p1.id, 'make_ongoing'))
    const registers = await ElectoralRegister.forOrganisation(world.organisation.id).where(
      'meeting_id',
      world.meeting.id
    )
    assert.lengthOf(registers, 1)
    assert.equal(registers[0].source, 'auto_before_poll')
    assert.deepEqual(
      registers[0].voterData,
      world.voters.map((v) => [v.id, 1])
    )
    assert.equal((await state(world, p1.id)).electoralRegisterId, registers[0].id)
    const erIndex = messages.findIndex((m) => m.type === 'er.changed')
    const pollIndex = messages.findIndex((m) => m.type === 'poll.changed')
    assert.isAbove(erIndex, -1)
    assert.isBelow(erIndex, pollIndex)
    const second = await capturePublished(() => fire(client, world, p2.id, 'make_ongoing'))
    assert.equal((await state(world, p2.id)).electoralRegisterId, registers[0].id)
    assert.isFalse(second.messages.some((m) => m.type === 'er.changed'))
    // Listed (newest first) and exported.
    const listed = await world.as(
      world.tokens[0],
      client.get(`/api/electoral-registers?meeting=${world.meeting.id}`)
    )
    assert.deepEqual(
      listed.body().data[0].weights,
      world.voters.map((v) => ({ user: v.id, weight: 1 }))
    )
    const csv = await world.as(
      world.tokens[0],
      client.get(`/api/electoral-registers/${registers[0].id}/export?format=csv`)
    )
    assert.match(csv.text(), /^first_name,last_name,email,userid,weight\n/)
    assert.lengthOf(csv.text().trim().split('\n'), 4)
  })

  test('S30 manual_trigger requires a register before polls start', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 2, erPolicyName: 'manual_trigger' })
    const [pr1] = await givenProposals(world.item, 1)
    const p1 = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    const refused = await fire(client, world, p1.id, 'make_ongoing')
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'poll.requires_manual_er')
    const trigger = () =>
      world
        .as(world.moderatorToken, client.post('/api/electoral-registers/trigger-create'))
        .json({ meeting: world.meeting.id })
    ;(await trigger()).assertStatus(201)
    ;(await fire(client, world, p1.id, 'make_ongoing')).assertStatus(200)
    ;(await trigger()).assertStatus(204)
    // A voter may not trigger.
    ;(
      await world
        .as(world.tokens[0], client.post('/api/electoral-registers/trigger-create'))
        .json({ meeting: world.meeting.id })
    ).assertStatus(403)
  })

  test('S31 equal split of group votes with a deterministic remainder', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({
      voters: 2,
      erPolicyName: 'group_auto_eq_rnd_bf',
      groupVotesActive: true,
    })
    const group = await MeetingGroup.create({
      organisationId: world.organisation.id,
      meetingId: world.meeting.id,
      title: 'Group',
      body: '',
      groupid: 'g1',
      votes: 5,
      delegateToId: null,
      showOnSpeaker: true,
      postAs: false,
      tags: [],
      rev: 1,
    })
    for (const voter of world.voters) {
      await GroupMembership.create({
        organisationId: world.organisation.id,
        meetingId: world.meeting.id,
        meetingGroupId: group.id,
        userId: voter.id,
        groupRoleId: null,
        votes: null,
        rev: 1,
      })
    }
    const first = await world
      .as(world.moderatorToken, client.post('/api/electoral-registers/trigger-create'))
      .json({ meeting: world.meeting.id })
    first.assertStatus(201)
    const weights = first
      .body()
      .weights.map((w: any) => w.weight)
      .sort()
    assert.deepEqual(weights, [2, 3])
    await ElectoralRegister.forOrganisation(world.organisation.id)
      .where('meeting_id', world.meeting.id)
      .delete()
    const again = await world
      .as(world.moderatorToken, client.post('/api/electoral-registers/trigger-create'))
      .json({ meeting: world.meeting.id })
    assert.deepEqual(again.body().weights, first.body().weights)
  })

  test('S32 SKK distributes votes by delegate roles (and honours active users)', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3, erPolicyName: 'skk_kfum' })
    const roleIds: Record<string, number> = {}
    for (const roleId of ['del_2', 'del_1', 'suppleant']) {
      roleIds[roleId] = (
        await GroupRole.create({
          organisationId: world.organisation.id,
          meetingId: world.meeting.id,
          title: roleId,
          roleId,
          roles: [],
          rev: 1,
        })
      ).id
    }
    const group = await MeetingGroup.create({
      organisationId: world.organisation.id,
      meetingId: world.meeting.id,
      title: 'Club',
      body: '',
      groupid: 'club',
      votes: 5,
      delegateToId: null,
      showOnSpeaker: true,
      postAs: false,
      tags: [],
      rev: 1,
    })
    const [A, B, C] = world.voters
    for (const [user, role] of [
      [A, 'del_2'],
      [B, 'del_1'],
      [C, 'suppleant'],
    ] as const) {
      await GroupMembership.create({
        organisationId: world.organisation.id,
        meetingId: world.meeting.id,
        meetingGroupId: group.id,
        userId: user.id,
        groupRoleId: roleIds[role],
        votes: null,
        rev: 1,
      })
    }
    const trigger = async () => {
      const response = await world
        .as(world.moderatorToken, client.post('/api/electoral-registers/trigger-create'))
        .json({ meeting: world.meeting.id })
      const latest = await ElectoralRegister.forOrganisation(world.organisation.id)
        .where('meeting_id', world.meeting.id)
        .orderBy('id', 'desc')
        .firstOrFail()
      assert.include([201, 204], response.status())
      return Object.fromEntries(latest.voterData.map(([u, w]) => [u, w]))
    }
    assert.deepEqual(await trigger(), { [A.id]: 2, [B.id]: 2, [C.id]: 1 })
    group.votes = 3
    await group.save()
    assert.deepEqual(await trigger(), { [A.id]: 2, [B.id]: 1 })
    group.votes = 10
    await group.save()
    assert.deepEqual(await trigger(), { [A.id]: 2, [B.id]: 2, [C.id]: 2 })
    group.votes = 5
    await group.save()
    await MeetingComponent.create({
      organisationId: world.organisation.id,
      meetingId: world.meeting.id,
      componentName: 'active_users',
      enabled: true,
      settings: {},
      rev: 1,
    })
    await ActiveUser.create({
      organisationId: world.organisation.id,
      meetingId: world.meeting.id,
      userId: A.id,
      createdAt: DateTime.utc(),
    })
    assert.deepEqual(await trigger(), { [A.id]: 2 })
  })

  test('S34 vote transfers need a transfer policy and belong to their source', async ({
    client,
    assert,
  }) => {
    const closed = await pollWorld({ voters: 2 })
    const [p0, q0] = closed.voters
    ;(
      await closed
        .as(closed.tokens[0], client.post('/api/vote-transfers'))
        .json({ meeting: closed.meeting.id, source: p0.id, target: q0.id })
    ).assertStatus(403)

    const world = await pollWorld({ voters: 3, erPolicyName: 'unrestricted' })
    const [p, q, r] = world.voters
    const post = (token: string, source: number, target: number) =>
      world
        .as(token, client.post('/api/vote-transfers'))
        .json({ meeting: world.meeting.id, source, target })
    ;(await post(world.tokens[0], q.id, r.id)).assertStatus(403)
    ;(await post(world.tokens[0], p.id, p.id)).assertStatus(422)
    ;(await post(world.tokens[0], p.id, q.id)).assertStatus(201)
    ;(await post(world.moderatorToken, r.id, q.id)).assertStatus(201)
    // unrestricted: a transfer moves the source's weight to the target (register made at poll start).
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    const er = await world.as(
      world.tokens[1],
      client.get(`/api/electoral-registers/${poll.electoral_register}`)
    )
    assert.deepEqual(er.body().weights, [{ user: q.id, weight: 3 }])
    ;(await vote(client, world, world.tokens[0], { poll: poll.id, abstain: true })).assertStatus(
      403
    )
    // Visibility: the target sees both, the third voter (a source) sees their own only.
    const asTarget = await world.as(
      world.tokens[1],
      client.get(`/api/vote-transfers?meeting=${world.meeting.id}`)
    )
    assert.lengthOf(asTarget.body().data, 2)
    const asR = await world.as(
      world.tokens[2],
      client.get(`/api/vote-transfers?meeting=${world.meeting.id}`)
    )
    assert.lengthOf(asR.body().data, 1)
    // Leaving the meeting deletes the user's transfers (domain §11.1), audited and announced.
    const { messages } = await capturePublished(() =>
      new ChangeMeetingRoles().execute({
        meeting: world.meeting,
        userIds: [r.id],
        roles: ['pa'],
        mode: 'remove',
        actor: systemActor('cli'),
      })
    )
    const left = await world.as(
      world.moderatorToken,
      client.get(`/api/vote-transfers?meeting=${world.meeting.id}`)
    )
    assert.deepEqual(
      left.body().data.map((t: any) => t.source),
      [p.id]
    )
    assert.isTrue(messages.some((m) => m.type === 'vt.deleted' && m.channel === `users/${r.id}`))
  })
})

test.group('Poll state machine: every transition', () => {
  test('private → upcoming → private → ongoing → canceled → closed (recount) → finished ⇄ withheld; reset needs a reason', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    assert.equal(poll.state, 'private')
    assert.equal((await fire(client, world, poll.id, 'make_upcoming')).body().state, 'upcoming')
    assert.equal(await proposalState(world, pr1.id), 'voting')
    // Proposals locked while voted: the proposal machine refuses manual events.
    assert.equal((await fire(client, world, poll.id, 'unpublish')).body().state, 'private')
    assert.equal(await proposalState(world, pr1.id), 'published')
    assert.equal((await fire(client, world, poll.id, 'make_ongoing')).body().state, 'ongoing')
    ;(
      await vote(client, world, world.tokens[0], { poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    assert.equal((await fire(client, world, poll.id, 'cancel')).body().state, 'canceled')
    // Votes cast before a cancel are counted when the poll is closed again (domain §10.3).
    const recovered = await fire(client, world, poll.id, 'close')
    assert.equal(recovered.body().state, 'finished')
    assert.equal(recovered.body().object.result.yes, 1)
    assert.equal((await fire(client, world, poll.id, 'withhold_result')).body().state, 'withheld')
    assert.equal((await fire(client, world, poll.id, 'publish_result')).body().state, 'finished')
    // Finished polls can never be reset.
    ;(await fire(client, world, poll.id, 'reset', { reason: 'why not' })).assertStatus(422)
    // Internal events are not available to people.
    const internal = await fire(client, world, poll.id, 'finish')
    internal.assertStatus(422)
    assert.equal(internal.body().errors[0].code, 'transition.unavailable')
  })

  test('a counting error fails the poll without storing anything; closing again retries; reset with a reason', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
      secret: false,
    })
    ;(
      await vote(client, world, world.tokens[0], { poll: poll.id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    // A vote string the method cannot read (as corruption would leave it).
    await Vote.forOrganisation(world.organisation.id)
      .where('poll_id', poll.id)
      .update({ vote_data: 'maybe' })
    const failed = await fire(client, world, poll.id, 'close')
    assert.equal(failed.body().state, 'failed')
    const stored = await state(world, poll.id)
    assert.isNull(stored.ballotData)
    assert.isNull(stored.ballotChecksum)
    assert.isNull(stored.result)
    await Vote.forOrganisation(world.organisation.id)
      .where('poll_id', poll.id)
      .update({ vote_data: 'yes' })
    const retried = await fire(client, world, poll.id, 'close')
    assert.equal(retried.body().state, 'finished')

    const other = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    ;(
      await vote(client, world, world.tokens[1], { poll: other.id, vote: { choice: 'no' } })
    ).assertStatus(201)
    ;(await fire(client, world, other.id, 'cancel')).assertStatus(200)
    const noReason = await fire(client, world, other.id, 'reset')
    noReason.assertStatus(422)
    assert.equal(noReason.body().errors[0].code, 'poll.reason_required')
    const reset = await fire(client, world, other.id, 'reset', { reason: 'Wrong proposals' })
    assert.equal(reset.body().state, 'private')
    assert.isNull(reset.body().object.electoral_register)
    assert.lengthOf(await Vote.forOrganisation(world.organisation.id).where('poll_id', other.id), 0)
  })

  test('make_ongoing needs an ongoing meeting and agenda item; GET …/event lists the reasons', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    world.item.state = 'upcoming'
    await world.item.save()
    const refused = await fire(client, world, poll.id, 'make_ongoing')
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'transition.unavailable')
    const events = await world.as(world.moderatorToken, client.get(`/api/polls/${poll.id}/event`))
    const start = events.body().events.find((e: any) => e.name === 'make_ongoing')
    assert.isFalse(start.allowed)
    assert.isTrue(start.reasons.some((r: any) => r.code === 'poll.context_not_ongoing'))
  })
})

test.group('Poll journey (scenarios.md S61)', () => {
  test('S61 open, vote, live progress, result', async ({ client, assert }) => {
    const world = await pollWorld({ voters: 2 })
    const nils = await givenUser(world.organisation)
    await givenRoles(world.meeting, nils, ['pa'])
    const nilsToken = await tokenFor(nils)
    const [pr1, pr2] = await givenProposals(world.item, 2)
    const messages: OutgoingMessage[] = []
    const stop = registerSink((batch) => void messages.push(...batch))
    const waitFor = async (predicate: (m: any) => boolean) => {
      const deadline = Date.now() + 8000
      while (Date.now() < deadline && !messages.some(predicate))
        await new Promise((r) => setTimeout(r, 100))
      return messages.some(predicate)
    }
    try {
      const response = await world.as(world.moderatorToken, client.post('/api/polls')).json({
        agenda_item: world.item.id,
        proposals: [pr1.id, pr2.id],
        method_name: 'combined_simple',
        settings: null,
        title: 'Budget',
        p_ord: 'c',
        withheld_result: false,
        start: true,
      })
      response.assertStatus(201)
      assert.equal(response.body().state, 'ongoing')
      const poll = response.body()
      const onMeeting = messages.filter((m) => m.channel.startsWith(`meetings/${world.meeting.id}`))
      const erAt = onMeeting.findIndex((m) => m.type === 'er.changed')
      const ongoingAt = onMeeting.findIndex(
        (m) => m.type === 'poll.changed' && (m.data as any).state === 'ongoing'
      )
      assert.isAbove(erAt, -1)
      assert.isBelow(erAt, ongoingAt)
      assert.lengthOf(
        messages.filter(
          (m) => m.type === 'proposal.changed' && m.channel.endsWith('/participants')
        ),
        2
      )
      assert.isTrue(
        await waitFor((m) => m.type === 'poll.status' && m.data.total === 2 && m.data.voted === 0)
      )

      ;(
        await world
          .as(world.tokens[0], client.post('/api/votes'))
          .json({ poll: poll.id, vote: { yes: [pr1.id], no: [pr2.id], abstain: [] } })
      ).assertStatus(201)
      assert.isTrue(
        messages.some(
          (m) => m.type === 'vote.changed' && m.channel === `users/${world.voters[0].id}`
        )
      )
      assert.isTrue(
        await waitFor((m) => m.type === 'poll.status' && m.data.voted === 1 && m.data.total === 2)
      )
      ;(
        await world
          .as(world.tokens[0], client.post('/api/votes'))
          .json({ poll: poll.id, vote: { yes: [pr1.id, pr2.id], no: [], abstain: [] } })
      ).assertStatus(200)
      ;(
        await world
          .as(world.tokens[1], client.post('/api/votes'))
          .json({ poll: poll.id, abstain: true })
      ).assertStatus(201)
      ;(
        await world.as(nilsToken, client.post('/api/votes')).json({ poll: poll.id, abstain: true })
      ).assertStatus(403)

      messages.length = 0
      ;(
        await world
          .as(world.moderatorToken, client.post(`/api/polls/${poll.id}/event`))
          .json({ event: 'close' })
      ).assertStatus(200)
      const finished = messages.find(
        (m) =>
          m.type === 'poll.changed' &&
          m.channel.endsWith('/participants') &&
          (m.data as any).state === 'finished'
      )
      assert.exists(finished)
      const data = finished!.data as any
      assert.deepEqual(data.result.results, {
        [pr1.id]: { yes: 1, no: 0, abstain: 0 },
        [pr2.id]: { yes: 1, no: 0, abstain: 0 },
      })
      assert.deepEqual(data.result.approved, [pr1.id, pr2.id])
      assert.equal(data.abstain_count, 1)
      assert.lengthOf(
        messages.filter(
          (m) => m.type === 'proposal.changed' && m.channel.endsWith('/participants')
        ),
        2
      )
      ;(
        await world
          .as(world.tokens[1], client.post('/api/votes'))
          .json({ poll: poll.id, abstain: true })
      ).assertStatus(403)
    } finally {
      stop()
    }
  }).timeout(30_000)
})

test.group('Proposals locked while voted (D23, S14)', () => {
  test('a proposal in an upcoming poll refuses manual events and cannot be deleted; released by unpublish', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, { method_name: 'simple', proposals: [pr1.id] })
    ;(await fire(client, world, poll.id, 'make_upcoming')).assertStatus(200)
    const locked = await world
      .as(world.moderatorToken, client.post(`/api/proposals/${pr1.id}/event`))
      .json({ event: 'approve' })
    locked.assertStatus(422)
    assert.equal(locked.body().errors[0].code, 'proposal.locked_by_poll')
    ;(await world.as(world.moderatorToken, client.delete(`/api/proposals/${pr1.id}`))).assertStatus(
      403
    )
    ;(await fire(client, world, poll.id, 'unpublish')).assertStatus(200)
    assert.equal(await proposalState(world, pr1.id), 'published')
    // Still used by a (private) poll: deletion stays refused (S14, any poll state).
    ;(await world.as(world.moderatorToken, client.delete(`/api/proposals/${pr1.id}`))).assertStatus(
      403
    )
  })
})

test.group('Meetings and ongoing polls (S04)', () => {
  test('S04 a meeting with an ongoing poll cannot be closed until the poll is closed', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await newPoll(client, world, {
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    const refused = await world
      .as(world.moderatorToken, client.post(`/api/meetings/${world.meeting.id}/event`))
      .json({ event: 'close' })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'meeting.ongoing_polls')
    ;(await fire(client, world, poll.id, 'close')).assertStatus(200)
    const closed = await world
      .as(world.moderatorToken, client.post(`/api/meetings/${world.meeting.id}/event`))
      .json({ event: 'close' })
    closed.assertStatus(200)
    assert.equal(closed.body().state, 'closed')
  })
})
