import { test } from '@japa/runner'
import Poll from '#models/poll'
import AuditEntry from '#models/audit_entry'
import { runCommand } from '#tests/helpers/commands'
import { givenProposals, pollWorld } from '#tests/helpers/polls'
import PollStart from '../../../commands/poll_start.js'
import PollClose from '../../../commands/poll_close.js'
import PollRecount from '../../../commands/poll_recount.js'

test.group('Poll operator commands', () => {
  test('poll:start, poll:close and poll:recount run a poll with every guard and audit', async ({
    client,
    assert,
  }) => {
    const world = await pollWorld({ voters: 2 })
    const [pr1] = await givenProposals(world.item, 1)
    const created = await world.as(world.moderatorToken, client.post('/api/polls')).json({
      agenda_item: world.item.id,
      title: 'Cmd',
      method_name: 'simple',
      proposals: [pr1.id],
    })
    const id = created.body().id
    const started = await runCommand(PollStart, [String(id)])
    assert.equal(started.command.exitCode ?? 0, 0, started.stderr)
    assert.match(started.stdout, /is ongoing \(register \d+\)/)
    const again = await runCommand(PollStart, [String(id)])
    assert.equal(again.command.exitCode, 1)
    assert.match(again.stderr, /not available in state "ongoing"/)

    ;(
      await world
        .as(world.tokens[0], client.post('/api/votes'))
        .json({ poll: id, vote: { choice: 'yes' } })
    ).assertStatus(201)
    const recountEarly = await runCommand(PollRecount, [String(id)])
    assert.equal(recountEarly.command.exitCode, 1)

    const closed = await runCommand(PollClose, [String(id)])
    assert.match(closed.stdout, /is finished: 1 counted, approved \[\d+\], denied \[\]/)
    const recount = await runCommand(PollRecount, [String(id)])
    assert.equal(recount.command.exitCode ?? 0, 0)
    assert.match(recount.stdout, /checksum matches/)
    assert.match(recount.stdout, /result matches/)
    const apply = await runCommand(PollRecount, [String(id), '--apply'])
    assert.equal(apply.command.exitCode, 1)
    assert.match(apply.stderr, /only retries failed polls/)

    // Tampering with the stored result is detected.
    const poll = await Poll.findInOrganisation(world.organisation.id, id)
    poll!.result = { ...poll!.result!, approved: [] }
    await poll!.save()
    const tampered = await runCommand(PollRecount, [String(id)])
    assert.equal(tampered.command.exitCode, 1)
    assert.match(tampered.stdout, /result DIFFERS/)

    const entries = await AuditEntry.forOrganisation(world.organisation.id)
      .where('object_id', String(id))
      .where('model', 'Poll')
      .whereIn('event', ['poll.make_ongoing', 'poll.close'])
    assert.sameMembers(
      entries.map((e) => e.source),
      ['cli', 'cli']
    )
    const missing = await runCommand(PollClose, ['999999'])
    assert.equal(missing.command.exitCode, 1)
    assert.match(missing.stderr, /No poll with id 999999/)
  })
})
