import { test } from '@japa/runner'
import { collectTags, excerpt, extractMentionIds, htmlToText } from '#domain/rich_text/content'
import { splitParagraphs, paragraphTag } from '#domain/proposals/text_documents'

test.group('Rich text content (domain §4.4, §9.1, §9.2)', () => {
  test('mentions: numeric ids of mention spans, hashtag spans excluded', ({ assert }) => {
    const html =
      '<p>Hi <span class="mention" data-id="12" data-value="anna" data-denotation-char="@">@anna</span> ' +
      '<span class="mention" data-id="x" data-value="doc" data-denotation-char="#">#doc</span> ' +
      '<span class="mention" data-id="7" data-denotation-char="#" data-value="t">#t</span> ' +
      '<span class="mention" data-id="12">again</span> <span data-id="99">not a mention</span></p>'
    assert.deepEqual(extractMentionIds(html), [12])
  })

  test('tags from hashtag spans, plain #words and extra tags', ({ assert }) => {
    const html =
      '<p>Agree with #pia-1 <span class="mention" data-denotation-char="#" data-value="Budget">#Budget</span></p>'
    assert.deepEqual(collectTags(html, ['extra']), ['budget', 'pia-1', 'extra'])
  })

  test('text and the D19 title excerpt', ({ assert }) => {
    assert.equal(
      htmlToText('<p>Raise &amp; the <b>fee</b></p><p>Second</p>'),
      'Raise & the fee\nSecond'
    )
    assert.equal(excerpt('short'), 'short')
    const long = 'word '.repeat(30).trim()
    const title = excerpt(long)
    assert.isAtMost(title.length, 81)
    assert.isTrue(title.endsWith('word…'))
  })

  test('paragraphs split on blank lines', ({ assert }) => {
    assert.deepEqual(splitParagraphs('A\n\nB\nC'), ['A', 'B\nC'])
    assert.deepEqual(splitParagraphs('\n  A  \n\n\n\n B \r\n C\n\n'), ['A', 'B\nC'])
    assert.equal(paragraphTag('doc', 2), 'doc-2')
  })
})
