import { test } from '@japa/runner'
import { newReceiptCode, receiptHash, voterRefs } from '#services/poll_secrecy'

test.group('Receipt codes and voter references', () => {
  test('receipt codes are 16 Crockford base32 characters using the whole alphabet', ({
    assert,
  }) => {
    const seen = new Set<string>()
    const codes = new Set<string>()
    for (let i = 0; i < 2000; i++) {
      const code = newReceiptCode()
      assert.match(code, /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{16}$/)
      codes.add(code)
      for (const char of code) seen.add(char)
    }
    assert.equal(codes.size, 2000)
    assert.equal(seen.size, 32)
    // Every position varies (80 random bits, none constant).
    for (let position = 0; position < 16; position++) {
      assert.isAbove(new Set([...codes].map((code) => code[position])).size, 16)
    }
  })

  test('a receipt hash ignores case, dashes and the Crockford look-alikes', ({ assert }) => {
    assert.equal(receiptHash('abcd-efgh-jk01-2345'), receiptHash('ABCDEFGHJK012345'))
    assert.equal(receiptHash('O1IL'), receiptHash('0111'))
  })

  test('secret voter references depend on poll and salt, and need the salt', ({ assert }) => {
    const a = voterRefs({ id: 1, secret: true, voterKeySalt: 'salt-a' })
    const b = voterRefs({ id: 1, secret: true, voterKeySalt: 'salt-b' })
    assert.equal(a(7), a(7))
    assert.notEqual(a(7), b(7))
    assert.notEqual(a(7), a(8))
    assert.equal(voterRefs({ id: 1, secret: false, voterKeySalt: null })(7), 'u7')
    assert.throws(() => voterRefs({ id: 1, secret: true, voterKeySalt: null }))
  })
})
