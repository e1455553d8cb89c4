import { test } from '@japa/runner'
import ElectoralRegister from '#models/electoral_register'
import MeetingGroup from '#models/meeting_group'
import GroupRole from '#models/group_role'
import GroupMembership from '#models/group_membership'
import type User from '#models/user'
import { givenProposals, pollWorld, type PollWorld } from '#tests/helpers/polls'
import { capturePublished } from '#tests/helpers/meetings'

/**
 * Every register policy of domain §11.4, app side: facts gathered from the
 * database (roles, groups, group roles, memberships, delegation, transfers),
 * registers written, listed and used. (The policies' arithmetic is unit
 * tested in tests/unit/domain; S29–S34 cover more in scenarios.spec.ts.)
 */
async function group(
  world: PollWorld,
  groupid: string,
  options: { votes?: number | null; tags?: string[]; delegateTo?: number | null } = {}
) {
  return MeetingGroup.create({
    organisationId: world.organisation.id,
    meetingId: world.meeting.id,
    title: groupid,
    body: '',
    groupid,
    votes: options.votes ?? null,
    delegateToId: options.delegateTo ?? null,
    showOnSpeaker: true,
    postAs: false,
    tags: options.tags ?? [],
    rev: 1,
  })
}

async function role(world: PollWorld, roleId: string) {
  return GroupRole.create({
    organisationId: world.organisation.id,
    meetingId: world.meeting.id,
    title: roleId,
    roleId,
    roles: [],
    rev: 1,
  })
}

async function member(
  world: PollWorld,
  groupId: number,
  user: User,
  options: { role?: number | null; votes?: number | null } = {}
) {
  return GroupMembership.create({
    organisationId: world.organisation.id,
    meetingId: world.meeting.id,
    meetingGroupId: groupId,
    userId: user.id,
    groupRoleId: options.role ?? null,
    votes: options.votes ?? null,
    rev: 1,
  })
}

async function trigger(client: any, world: PollWorld) {
  const response = await world
    .as(world.moderatorToken, client.post('/api/electoral-registers/trigger-create'))
    .json({ meeting: world.meeting.id })
  return response
}

const weightsOf = (body: any) =>
  Object.fromEntries(body.weights.map((w: any) => [w.user, w.weight]))

test.group('Register policies (domain §11.4)', () => {
  test('gv_auto_before_p: weight = allocated membership votes; the policy needs group votes active', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3, erPolicyName: 'gv_auto_before_p' })
    const [a, b, c] = world.voters
    const g = await group(world, 'g', { votes: 5 })
    await member(world, g.id, a, { votes: 3 })
    await member(world, g.id, b, { votes: 2 })
    await member(world, g.id, c)
    const mismatch = await trigger(client, world)
    mismatch.assertStatus(422)
    assert.equal(mismatch.body().errors[0].code, 'er.policy_mismatch')
    world.meeting.groupVotesActive = true
    await world.meeting.save()
    const created = await trigger(client, world)
    created.assertStatus(201)
    assert.deepEqual(weightsOf(created.body()), { [a.id]: 3, [b.id]: 2 })
    // The register is frozen into a poll at start and weights count there.
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'W',
      method_name: 'simple',
      proposals: [pr1.id],
      start: true,
    })
    assert.equal(poll.body().total_weight, 5)
    assert.equal(poll.body().electoral_register, created.body().id)
  })

  test('main_subst_active: mains first, then substitutes, until the group votes run out; allocations written', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3, erPolicyName: 'main_subst_active' })
    const [m1, m2, s1] = world.voters
    const main = await role(world, 'main')
    const substitute = await role(world, 'substitute')
    const g = await group(world, 'g', { votes: 2 })
    const ms1 = await member(world, g.id, m1, { role: main.id })
    await member(world, g.id, m2, { role: main.id })
    const ss1 = await member(world, g.id, s1, { role: substitute.id })
    const first = await trigger(client, world)
    assert.deepEqual(weightsOf(first.body()), { [m1.id]: 1, [m2.id]: 1 })
    assert.equal(
      (await GroupMembership.findInOrganisation(world.organisation.id, ms1.id))!.votes,
      1
    )
    assert.isNull((await GroupMembership.findInOrganisation(world.organisation.id, ss1.id))!.votes)
    g.votes = 3
    await g.save()
    const second = await trigger(client, world)
    assert.deepEqual(weightsOf(second.body()), { [m1.id]: 1, [m2.id]: 1, [s1.id]: 1 })
  })

  test('main_subst_delegate: mains vote, or the substitute they transferred to (main_and_subst rules)', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 4, erPolicyName: 'main_subst_delegate' })
    const [m1, m2, s3, s4] = world.voters
    const main = await role(world, 'main')
    const substitute = await role(world, 'substitute')
    const g = await group(world, 'g')
    await member(world, g.id, m1, { role: main.id })
    await member(world, g.id, m2, { role: main.id })
    await member(world, g.id, s3, { role: substitute.id })
    await member(world, g.id, s4, { role: substitute.id })
    assert.deepEqual(weightsOf((await trigger(client, world)).body()), { [m1.id]: 1, [m2.id]: 1 })
    const post = (token: string, source: number, target: number) =>
      world
        .as(token, client.post('/api/vote-transfers'))
        .json({ meeting: world.meeting.id, source, target })
    const toMain = await post(world.tokens[0], m1.id, m2.id)
    toMain.assertStatus(422)
    assert.equal(toMain.body().errors[0].code, 'vote_transfer.rejected')
    const transfer = await post(world.tokens[0], m1.id, s3.id)
    transfer.assertStatus(201)
    assert.deepEqual(weightsOf((await trigger(client, world)).body()), { [s3.id]: 1, [m2.id]: 1 })
    // Only the target reassigns (domain §11.5); the source may withdraw.
    ;(
      await world
        .as(world.tokens[0], client.patch(`/api/vote-transfers/${transfer.body().id}`))
        .json({ target: s4.id })
    ).assertStatus(403)
    const moved = await world
      .as(world.tokens[2], client.patch(`/api/vote-transfers/${transfer.body().id}`))
      .json({ target: s4.id })
    moved.assertStatus(200)
    assert.equal(moved.body().target, s4.id)
    ;(
      await world.as(world.tokens[1], client.delete(`/api/vote-transfers/${transfer.body().id}`))
    ).assertStatus(404)
    ;(
      await world.as(world.tokens[0], client.delete(`/api/vote-transfers/${transfer.body().id}`))
    ).assertStatus(204)

    // S33: a target who becomes `main` in another group loses the transfer (at the next register).
    const again = await post(world.tokens[0], m1.id, s3.id)
    again.assertStatus(201)
    const other = await group(world, 'other')
    await member(world, other.id, s3, { role: main.id })
    const { result, messages } = await capturePublished(() => trigger(client, world))
    assert.deepEqual(weightsOf(result.body()), { [m1.id]: 1, [m2.id]: 1, [s3.id]: 1 })
    assert.isTrue(messages.some((m) => m.type === 'vt.deleted' && m.channel === `users/${m1.id}`))
    const left = await world.as(
      world.moderatorToken,
      client.get(`/api/vote-transfers?meeting=${world.meeting.id}`)
    )
    assert.lengthOf(left.body().data, 0)
  })

  test('skr_agarrad: one vote per municipality/region plus delegations; SKR balances; ambiguous groups refused', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 5, erPolicyName: 'skr_agarrad' })
    const [a, b, c, d, e] = world.voters
    const k1 = await group(world, 'k1', { tags: ['kommun'] })
    const k2 = await group(world, 'k2', { tags: ['kommun'], delegateTo: k1.id })
    const r1 = await group(world, 'r1', { tags: ['region'] })
    const skr = await group(world, 'skr')
    await member(world, k1.id, a)
    await member(world, k2.id, b)
    await member(world, r1.id, d)
    await member(world, skr.id, c)
    const created = await trigger(client, world)
    created.assertStatus(201)
    assert.deepEqual(weightsOf(created.body()), { [a.id]: 2, [d.id]: 1, [c.id]: 2 })
    await member(world, r1.id, e)
    const ambiguous = await trigger(client, world)
    ambiguous.assertStatus(422)
    assert.equal(ambiguous.body().errors[0].code, 'er.ambiguous_group')
  })

  test('historic and unknown policies cannot make registers; the policy list shows every offered policy with its flags', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    // Only imported data carries the historic policy (meetings cannot be created with it).
    world.meeting.erPolicyName = 'presence_check'
    await world.meeting.save()
    const [pr1] = await givenProposals(world.item, 1)
    const poll = await world
      .as(world.moderatorToken, client.post('/api/polls'))
      .json({ agenda_item: world.item.id, title: 'H', method_name: 'simple', proposals: [pr1.id] })
    const refused = await world
      .as(world.moderatorToken, client.post(`/api/polls/${poll.body().id}/event`))
      .json({ event: 'make_ongoing' })
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].code, 'er.invalid_policy')
    assert.lengthOf(
      await ElectoralRegister.forOrganisation(world.organisation.id).where(
        'meeting_id',
        world.meeting.id
      ),
      0
    )
    const list = await world.as(world.tokens[0], client.get('/api/electoral-register-policies'))
    const names = list.body().data.map((p: any) => p.name)
    for (const name of [
      'auto_before_poll',
      'manual_trigger',
      'manual',
      'auto_always',
      'gv_auto_before_p',
      'group_auto_eq_rnd_bf',
      'main_subst_active',
      'main_subst_delegate',
      'skk_kfum',
      'skr_agarrad',
      'unrestricted',
    ]) {
      assert.include(names, name)
    }
    assert.notInclude(names, 'presence_check')
    const manual = list.body().data.find((p: any) => p.name === 'manual')
    assert.deepInclude(manual, {
      allow_manual: true,
      require_manual: true,
      handles_vote_weight: true,
    })
  })

  test('signing keys: the public key is served by the API and at /.well-known/voting-keys.json', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 1 })
    const key = await world.as(world.tokens[0], client.get('/api/organisation/signing-key'))
    key.assertStatus(200)
    assert.equal(key.body().algorithm, 'Ed25519')
    assert.lengthOf(Buffer.from(key.body().public_key, 'base64'), 32)
    const wellKnown = await client.get('/.well-known/voting-keys.json').header('host', world.host)
    wellKnown.assertStatus(200)
    assert.equal(wellKnown.body().keys[0].public_key, key.body().public_key)
    assert.equal(wellKnown.body().keys[0].fingerprint, key.body().fingerprint)
  })
})
