import { test } from '@japa/runner'
import { isBulletList, renderDiff } from '#domain/proposals/diff'

test.group('Diff rendering (domain §9.3)', () => {
  test('word level: a replacement renders as deletion then insertion', ({ assert }) => {
    assert.equal(
      renderDiff('The fee is 10 euro', 'The fee is 12 euro'),
      'The fee is <span class="text-diff-removed">10</span> <span class="text-diff-added">12</span> euro'
    )
  })

  test('insertions and deletions', ({ assert }) => {
    assert.equal(renderDiff('a b c', 'a b x c'), 'a b <span class="text-diff-added">x</span> c')
    assert.equal(renderDiff('a b c', 'a c'), 'a <span class="text-diff-removed">b</span> c')
  })

  test('without deleted text', ({ assert }) => {
    assert.equal(
      renderDiff('The fee is 10 euro', 'The fee is 12 euro', { hideDeleted: true }),
      'The fee is <span class="text-diff-added">12</span> euro'
    )
  })

  test('brief mode keeps three words of context at each edge', ({ assert }) => {
    const original = 'one two three four five six seven eight nine ten eleven twelve thirteen'
    const amended = 'one two three four five six SEVEN eight nine ten eleven twelve thirteen'
    assert.equal(
      renderDiff(original, amended, { brief: true }),
      '[...] four five six <span class="text-diff-removed">seven</span> <span class="text-diff-added">SEVEN</span> eight nine ten [...]'
    )
    const twoChanges = 'a1 b c d e f g h i j z1'.replace('a1', 'A').replace('z1', 'Z')
    assert.equal(
      renderDiff('a b c d e f g h i j k', twoChanges, { brief: true }),
      '<span class="text-diff-removed">a</span> <span class="text-diff-added">A</span> b c d [...] h i j <span class="text-diff-removed">k</span> <span class="text-diff-added">Z</span>'
    )
  })

  test('bullet lists are compared line by line with one line of context', ({ assert }) => {
    const original = '- one\n- two\n- three\n- four\n- five\n- six\n- seven'
    assert.isTrue(isBulletList(original))
    assert.isFalse(isBulletList('- only one line'))
    const html = renderDiff(original, '- one\n- two\n- three\n- FOUR\n- five\n- six\n- seven', {
      brief: true,
    })
    assert.equal(
      html,
      '[...]\n- three\n<span class="text-diff-removed">- four</span>\n<span class="text-diff-added">- FOUR</span>\n- five\n[...]'
    )
  })

  test('a leading hashtag that differs from the original is prefixed, not compared', ({
    assert,
  }) => {
    assert.equal(renderDiff('The fee is 10', '#doc-1 The fee is 10'), '#doc-1 The fee is 10')
    assert.equal(
      renderDiff('#a The fee', '#a The cost'),
      '#a The <span class="text-diff-removed">fee</span> <span class="text-diff-added">cost</span>'
    )
  })

  test('text is escaped', ({ assert }) => {
    assert.equal(renderDiff('a', 'a <b>'), 'a <span class="text-diff-added">&lt;b&gt;</span>')
  })

  test('line breaks inside a paragraph survive word mode', ({ assert }) => {
    assert.equal(
      renderDiff('B\nC', 'B\nD'),
      'B\n<span class="text-diff-removed">C</span> <span class="text-diff-added">D</span>'
    )
  })
})
