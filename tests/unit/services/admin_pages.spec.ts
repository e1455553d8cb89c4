import { test } from '@japa/runner'
import { changeLines, pageLinks, urlWith, withoutEmpty } from '#services/admin_pages'

const meta = (current: number, last: number, total = last * 10) => ({
  total,
  per_page: 10,
  current_page: current,
  last_page: last,
})

test.group('Admin pages | pagination links', () => {
  test('first, last and two either side of the current page, with gaps', ({ assert }) => {
    const links = pageLinks('/admin/audit', { model: 'User' }, meta(10, 20))
    const shown = links.items.map((item) => ('gap' in item ? '…' : item.page))
    assert.deepEqual(shown, [1, '…', 8, 9, 10, 11, 12, '…', 20])
    assert.equal(links.prev, '/admin/audit?model=User&page=9')
    assert.equal(links.next, '/admin/audit?model=User&page=11')
    assert.deepEqual([links.from, links.to], [91, 100])
  })

  test('page 1 links carry no page parameter; no prev on the first, no next on the last', ({
    assert,
  }) => {
    const first = pageLinks('/admin/users', { search: 'a b' }, meta(1, 2, 15))
    assert.isNull(first.prev)
    assert.equal(first.next, '/admin/users?search=a+b&page=2')
    const second = pageLinks('/admin/users', { search: 'a b' }, meta(2, 2, 15))
    assert.equal(second.prev, '/admin/users?search=a+b')
    assert.isNull(second.next)
    assert.deepEqual([second.from, second.to], [11, 15])
  })

  test('an empty list has one page and shows 0 entries', ({ assert }) => {
    const links = pageLinks(
      '/admin/users',
      {},
      { total: 0, per_page: 25, current_page: 1, last_page: 0 }
    )
    assert.deepEqual([links.from, links.to, links.last], [0, 0, 1])
    assert.isNull(links.next)
  })

  test('urlWith and withoutEmpty drop empty values', ({ assert }) => {
    assert.equal(urlWith('/x', { a: '', b: undefined, c: null, d: 0, e: 'y' }), '/x?d=0&e=y')
    assert.deepEqual(withoutEmpty({ a: '', b: ' ', c: 'v', d: undefined }), { c: 'v' })
  })
})

test.group('Admin pages | audit changes', () => {
  test('one line per field with compact JSON; other shapes shown as a value', ({ assert }) => {
    const lines = changeLines({
      title: ['Old', 'New'],
      settings: [{ a: 1 }, { a: 2 }],
      note: 'free',
    })
    assert.deepEqual(lines, [
      { field: 'title', from: '"Old"', to: '"New"' },
      { field: 'settings', from: '{"a":1}', to: '{"a":2}' },
      { field: 'note', from: null, to: '"free"' },
    ])
  })

  test('long values are clipped', ({ assert }) => {
    const [line] = changeLines({ body: [null, 'x'.repeat(500)] })
    assert.equal(line.from, 'null')
    assert.lengthOf(line.to, 161)
    assert.isTrue(line.to.endsWith('…'))
  })
})
