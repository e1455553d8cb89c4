import { test } from '@japa/runner'
import { checkTagSet, namespaceRule, reverseIndex } from '#domain/participant_tags/tags'

test.group('Participant tags | rules (domain §15.4)', () => {
  const rules = new Map([
    ['gen', { tags: ['m', 'f', 'nb'], many: false }],
    ['pron', { tags: ['she', 'he', 'they'], many: true }],
  ])

  test('set: values per namespace, many decides list or single', ({ assert }) => {
    assert.deepEqual(checkTagSet({ gen: 'f', pron: 'they' }, rules), {
      ok: true,
      tags: { gen: 'f', pron: ['they'] },
    })
    assert.deepEqual(checkTagSet({ pron: ['he', 'she', 'he'] }, rules), {
      ok: true,
      tags: { pron: ['he', 'she'] },
    })
    const problem = (input: unknown) => {
      const result = checkTagSet(input, rules)
      return result.ok ? null : [result.problem.code, result.problem.field]
    }
    assert.deepEqual(problem({ gen: ['f'] }), ['ptags.single_value', 'tags.gen'])
    assert.deepEqual(problem({ pron: ['she', 'xe'] }), ['ptags.value_not_allowed', 'tags.pron.1'])
    assert.deepEqual(problem({ other: 'x' }), ['ptags.namespace_unavailable', 'tags.other'])
    assert.deepEqual(problem({ Gen: 'f' }), ['validation.failed', 'tags.Gen'])
    // A JSON body's own `__proto__` key is just an unknown namespace.
    assert.deepEqual(problem(JSON.parse('{"__proto__": "f"}')), [
      'ptags.namespace_unavailable',
      'tags.__proto__',
    ])
    assert.deepEqual(problem({}), ['validation.failed', 'tags'])
    assert.deepEqual(problem([]), ['validation.failed', 'tags'])
  })

  test('namespace rules come from the component registry (defaults, invalid settings)', ({
    assert,
  }) => {
    assert.deepEqual(namespaceRule('gtags', {}), { tags: ['m', 'f', 'nb'], many: false })
    assert.deepEqual(namespaceRule('ptags', { tags: ['they'], many: true }), {
      tags: ['they'],
      many: true,
    })
    assert.isNull(namespaceRule('gtags', { tags: ['Bad Tag'] }))
  })

  test('reverse index for ptags.all', ({ assert }) => {
    assert.deepEqual(
      reverseIndex([
        { userId: 9, tags: { gen: 'f', pron: ['she', 'they'] } },
        { userId: 3, tags: { gen: 'f' } },
      ]),
      { 'gen:f': [3, 9], 'pron:she': [9], 'pron:they': [9] }
    )
  })
})
