import { test } from '@japa/runner'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import db from '@adonisjs/lucid/services/db'
import AuditEntry from '#models/audit_entry'
import OrganisationSigningKey from '#models/organisation_signing_key'
import RotateSigningKey from '#actions/organisations/rotate_signing_key'
import { activeSigningKey } from '#services/signing_keys'
import { systemActor } from '#services/audit_log'
import { verifyBundle } from '#domain/polls/bundle'
import OrgRotateSigningKey from '../../../commands/org_rotate_signing_key.js'
import { runCommand } from '#tests/helpers/commands'
import { givenProposals, pollWorld, type PollWorld } from '#tests/helpers/polls'
import { givenOrganisation, givenUser } from '#tests/helpers/world'
import { loginAdmin, redirectedTo, submit, visit } from '#tests/helpers/admin'

/**
 * Signing-key rotation (beyond.md B-NEW-01, api.md §11.3): retired keys stay
 * published, bundles signed before a rotation still verify with the old key,
 * the bundle endpoint signs with the key active at the time of the request,
 * and there is never more than one active key.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

function countCli(argv: string[]) {
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/node'),
    ['--import=@poppinss/ts-exec', 'bin/count.ts', ...argv],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }
  )
  return { code: run.status, stdout: run.stdout, stderr: run.stderr }
}

async function finishedPoll(client: any, world: PollWorld) {
  const [proposal] = await givenProposals(world.item, 1)
  const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
    agenda_item: world.item.id,
    title: 'Signed',
    method_name: 'simple',
    proposals: [proposal.id],
    start: true,
  })
  created.assertStatus(201)
  const poll = created.body().id
  for (const [index, choice] of ['yes', 'no', 'yes'].entries()) {
    await world
      .as(world.tokens[index], client.post('/api/votes'))
      .json({ poll, vote: { choice } })
      .then((r: any) => r.assertStatus(201))
  }
  const closed = await world
    .as(world.moderatorToken, client.post(`/api/polls/${poll}/event`))
    .json({ event: 'close' })
  closed.assertStatus(200)
  return poll as number
}

const activeKeys = (organisationId: number) =>
  OrganisationSigningKey.forOrganisation(organisationId).where('active', true)

test.group('Signing-key rotation', () => {
  test('a bundle signed before a rotation still verifies with the retired key, which stays published; the endpoint signs with the new key', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 3 })
    const poll = await finishedPoll(client, world)
    const before = await world.as(world.tokens[0], client.get(`/api/polls/${poll}/bundle`))
    before.assertStatus(200)
    const oldKey = (
      await world.as(world.tokens[0], client.get('/api/organisation/signing-key'))
    ).body().public_key
    assert.equal(before.body().public_key, oldKey)

    const { command, stdout } = await runCommand(OrgRotateSigningKey, [world.host])
    assert.equal(command.exitCode ?? 0, 0, stdout)
    assert.match(stdout, /New signing key [0-9a-f]{32} is active/)
    assert.match(stdout, /Retired key [0-9a-f]{32}/)

    const active = await world.as(world.tokens[0], client.get('/api/organisation/signing-key'))
    active.assertStatus(200)
    const newKey = active.body().public_key
    assert.notEqual(newKey, oldKey)

    // The published list has both keys with their periods.
    const wellKnown = await client.get('/.well-known/voting-keys.json').header('host', world.host)
    wellKnown.assertStatus(200)
    const keys = wellKnown.body().keys
    assert.lengthOf(keys, 2)
    assert.deepInclude(keys[0], { public_key: oldKey, active: false })
    assert.isString(keys[0].retired)
    assert.isString(keys[0].created)
    assert.deepInclude(keys[1], { public_key: newKey, active: true, retired: null })
    assert.isAtLeast(Date.parse(keys[1].created), Date.parse(keys[0].created))

    // The old bundle: valid against the retired key (in-process and through the CLI), not the new one.
    assert.deepEqual(verifyBundle(before.body(), oldKey).problems, [])
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'))
    const file = join(dir, 'bundle.json')
    writeFileSync(file, JSON.stringify(before.body()))
    const ok = countCli(['--verify', file, '--public-key', oldKey])
    assert.equal(ok.code, 0, ok.stdout + ok.stderr)
    const wrong = countCli(['--verify', file, '--public-key', newKey])
    assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr)

    // The endpoint signs on request: now with the new key; same content.
    const after = await world.as(world.tokens[0], client.get(`/api/polls/${poll}/bundle`))
    after.assertStatus(200)
    assert.equal(after.body().public_key, newKey)
    assert.deepEqual(verifyBundle(after.body(), newKey).problems, [])
    assert.equal(after.body().ballot_checksum_sha512, before.body().ballot_checksum_sha512)
    assert.deepEqual(after.body().result, before.body().result)

    const audit = await AuditEntry.forOrganisation(world.organisation.id).where(
      'event',
      'organisation_signing_key.rotated'
    )
    assert.lengthOf(audit, 1)
    assert.isNull(audit[0].actorUserId)
    assert.equal(audit[0].source, 'cli')
  })

  test('org:rotate-signing-key takes an id or a host; unknown ones are refused', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    // No key yet: the rotation creates the first one.
    const first = await runCommand(OrgRotateSigningKey, [String(organisation.id)])
    assert.equal(first.command.exitCode ?? 0, 0)
    assert.notMatch(first.stdout, /Retired/)
    assert.lengthOf(await activeKeys(organisation.id), 1)

    const unknownHost = await runCommand(OrgRotateSigningKey, ['nowhere.invalid'])
    assert.equal(unknownHost.command.exitCode, 1)
    assert.include(unknownHost.stderr, 'No organisation on host "nowhere.invalid"')
    const unknownId = await runCommand(OrgRotateSigningKey, ['99999999'])
    assert.equal(unknownId.command.exitCode, 1)
    assert.include(unknownId.stderr, 'No organisation with id 99999999')
  })

  test('admin: organisation managers rotate from the organisation screen; others cannot', async ({
    client,
    assert,
  }) => {
    const { organisation, host } = await givenOrganisation()
    const original = await activeSigningKey(organisation.id)
    const member = await givenUser(organisation, { roles: ['meeting_creator'] })
    const intruder = await loginAdmin(client, host, member)
    await visit(intruder, '/admin')
    const refused = await submit(intruder, '/admin/organisation/signing-key/rotate', {})
    assert.equal(redirectedTo(refused), '/admin')
    assert.equal((await activeSigningKey(organisation.id)).id, original.id)

    const manager = await givenUser(organisation, { roles: ['org_manager'] })
    const browser = await loginAdmin(client, host, manager)
    const page = await visit(browser, '/admin/organisation')
    page.assertStatus(200)
    assert.include(page.text(), 'Rotate signing key')
    const rotated = await submit(browser, '/admin/organisation/signing-key/rotate', {})
    assert.equal(redirectedTo(rotated), '/admin/organisation')
    const current = await activeSigningKey(organisation.id)
    assert.notEqual(current.id, original.id)
    const after = await visit(browser, '/admin/organisation')
    assert.include(after.text(), 'retired')
    const audit = await AuditEntry.forOrganisation(organisation.id)
      .where('event', 'organisation_signing_key.rotated')
      .firstOrFail()
    assert.equal(audit.actorUserId, manager.id)
  })

  test('concurrent rotations (and a first use racing them) leave exactly one active key; the index refuses a second', async ({
    assert,
  }) => {
    const { organisation } = await givenOrganisation()
    const actor = systemActor('cli')
    await Promise.all([
      activeSigningKey(organisation.id),
      ...Array.from({ length: 6 }, () =>
        new RotateSigningKey().execute({ organisationId: organisation.id, actor })
      ),
      activeSigningKey(organisation.id),
    ])
    const all = await OrganisationSigningKey.forOrganisation(organisation.id)
    assert.lengthOf(
      all.filter((key) => key.active),
      1
    )
    // Six rotations: six new keys, plus at most one first key made by activeSigningKey.
    assert.oneOf(all.length, [6, 7])
    for (const key of all.filter((candidate) => !candidate.active)) assert.isNotNull(key.retiredAt)

    // The partial unique index is the backstop if code ever skipped the lock.
    const active = all.find((key) => key.active)!
    await assert.rejects(() =>
      db.table('organisation_signing_keys').insert({
        organisation_id: organisation.id,
        algorithm: 'Ed25519',
        public_key: 'x',
        private_key_encrypted: active.privateKeyEncrypted,
        active: true,
        created_at: new Date(),
      })
    )
  })
})
