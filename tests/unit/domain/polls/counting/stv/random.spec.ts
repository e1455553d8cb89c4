import { test } from '@japa/runner'
import fc from 'fast-check'
import { SeededRandom, generateSeed } from '../../../../../../app/domain/polls/counting/random.js'
import { referenceStream } from './helpers.js'

test.group('Counting | seeded generator (8.2)', () => {
  test('nextU32 reads SHA-256(seed ‖ uint32_be(i)) blocks big-endian, across block boundaries', ({
    assert,
  }) => {
    // Vectors computed with Python's hashlib from the definition of 8.2.
    const r = new SeededRandom('abc')
    assert.deepEqual(
      Array.from({ length: 10 }, () => r.nextU32()),
      [
        3475878316, 2556944061, 4174287353, 2668895829, 1153377994, 917765455, 2386572782,
        3291261709, 1187219179, 3438248634,
      ]
    )
  })

  test('the seed is taken as UTF-8', ({ assert }) => {
    const r = new SeededRandom('Zoë')
    assert.deepEqual([r.nextU32(), r.nextU32(), r.nextU32()], [3204277326, 3050613339, 1545110158])
  })

  test('randInt rejects draws at or above the limit', ({ assert }) => {
    // k = 3·2^30: limit = 2^32 − (2^32 mod k) = 3·2^30, so raw draws ≥ 3221225472 are skipped.
    const raw = new SeededRandom('seed-1')
    const draws = Array.from({ length: 16 }, () => raw.nextU32())
    assert.equal(draws[9], 3592630430) // ≥ limit: must be skipped
    const r = new SeededRandom('seed-1')
    const k = 3 * 2 ** 30
    assert.deepEqual(
      Array.from({ length: 12 }, () => r.randInt(k)),
      [
        1442335022, 1009202410, 1095567664, 1942495891, 3147321812, 94220060, 3186731779, 228870872,
        1543686490, 2201140021, 560166572, 1320739489,
      ]
    )
  })

  test('shuffle is Fisher–Yates from the end and returns a copy', ({ assert }) => {
    const r = new SeededRandom('test')
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert.deepEqual(r.shuffle(input), [7, 8, 4, 10, 2, 9, 3, 5, 1, 6])
    assert.deepEqual(r.shuffle(['a', 'b', 'c']), ['b', 'c', 'a']) // the stream continues
    assert.deepEqual(input, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert.deepEqual(new SeededRandom('z').shuffle([]), [])
    assert.deepEqual(new SeededRandom('z').shuffle([42]), [42])
  })

  test('randInt(1) is 0 and still consumes a draw; invalid k throws', ({ assert }) => {
    const r = new SeededRandom('abc')
    assert.equal(r.randInt(1), 0)
    assert.equal(r.nextU32(), 2556944061)
    assert.throws(() => r.randInt(0))
    assert.throws(() => r.randInt(1.5))
  })

  test('agrees with an independent implementation on random seeds and sizes', ({ assert }) => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.integer({ min: 1, max: 2 ** 32 }), { maxLength: 40 }),
        (seed, ks) => {
          const mine = new SeededRandom(seed)
          const ref = referenceStream(seed)
          for (const k of ks) assert.equal(mine.randInt(k), ref.randInt(k))
          const list = Array.from({ length: 25 }, (_, i) => i)
          assert.deepEqual(mine.shuffle(list), ref.shuffle(list))
        }
      ),
      { numRuns: 60 }
    )
  })

  test('generateSeed gives 32 lower-case hex characters, fresh each time', ({ assert }) => {
    const a = generateSeed()
    const b = generateSeed()
    assert.match(a, /^[0-9a-f]{32}$/)
    assert.notEqual(a, b)
  })
})
