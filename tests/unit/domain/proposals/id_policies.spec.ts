import { test } from '@japa/runner'
import {
  nextProposalId,
  proposalIdPolicies,
  randomProposalId,
  resolveProposalIdPolicy,
  slugifyBase,
} from '#domain/proposals/id_policies'

const facts = {
  authorUserid: 'anna',
  authorName: 'Anna Andersson',
  asGroupId: null,
  agendaItemPosition: 3,
}

test.group('Proposal ID policies (domain §9.6, §24)', () => {
  test('userid: the exact prefix decides (anna is not affected by annabel-1)', ({ assert }) => {
    const prefix = proposalIdPolicies.userid.prefix(facts)!
    assert.equal(prefix, 'anna-')
    assert.equal(nextProposalId(prefix, ['annabel-1', 'annabel-2']), 'anna-1')
    assert.equal(
      nextProposalId(prefix, ['anna-1', 'annabel-7', 'anna-2x', 'anna-9', 'xanna-12']),
      'anna-10'
    )
  })

  test('userid: group id as group, else userid, else the full name slugified', ({ assert }) => {
    assert.equal(proposalIdPolicies.userid.prefix({ ...facts, asGroupId: 'board' }), 'board-')
    assert.equal(
      proposalIdPolicies.userid.prefix({ ...facts, authorUserid: null }),
      'anna-andersson-'
    )
    assert.equal(
      proposalIdPolicies.userid.prefix({ ...facts, authorUserid: null, authorName: 'Åsa Öberg' }),
      'åsa-öberg-'
    )
    assert.isNull(
      proposalIdPolicies.userid.prefix({ ...facts, authorUserid: null, authorName: null })
    )
  })

  test('slugified bases are cut to 45 characters', ({ assert }) => {
    assert.lengthOf(slugifyBase('x'.repeat(80)), 45)
    assert.equal(slugifyBase('  Hello,  World!! '), 'hello-world')
  })

  test('sequential and agenda_item policies', ({ assert }) => {
    const sequential = proposalIdPolicies.sequential.prefix(facts)!
    assert.equal(nextProposalId(sequential, ['P-1', 'P-11', 'anna-40']), 'P-12')
    assert.equal(
      proposalIdPolicies.sequential.prefix({ ...facts, settings: { prefix: 'Mot ' } }),
      'Mot'
    )
    const byItem = proposalIdPolicies.agenda_item.prefix(facts)!
    assert.equal(nextProposalId(byItem, ['3-1', '13-4', '3-2']), '3-3')
  })

  test('null and unknown names resolve to the default policy', ({ assert }) => {
    assert.equal(resolveProposalIdPolicy(null).name, 'userid')
    assert.equal(resolveProposalIdPolicy('vanished').name, 'userid')
    assert.equal(resolveProposalIdPolicy('sequential').name, 'sequential')
  })

  test('the random fallback is 8 lowercase letters', ({ assert }) => {
    let seed = 0
    const id = randomProposalId(() => (seed = (seed + 0.37) % 1))
    assert.match(id, /^[a-z]{8}$/)
  })
})
