import { test } from '@japa/runner'
import fc from 'fast-check'
import {
  formatUnits,
  newMultiplier,
  newMultiplierUnits,
  quantize5,
  roundSig,
  roundSigInt,
  unitsToNumber,
} from '../../../../../../app/domain/polls/counting/decimal.js'

/**
 * [M, V, quota, M′] in units of 10⁻⁵, computed with Python's decimal module in its default context:
 * round(Decimal(M)/100000 * ((v − quota) / v), 5). The first rows are hand-checkable half-even cases.
 */
const PYTHON_VECTORS: Array<[number, number, number, number]> = [
  [1, 200000, 1, 0], // 0.00001 × 0.5 = 0.000005 → 0 (half to even)
  [3, 200000, 1, 2], // 0.000015 → 0.00002
  [5, 200000, 1, 2], // 0.000025 → 0.00002
  [7, 200000, 1, 4], // 0.000035 → 0.00004
  [20000, 480000, 4, 3333], // 7.7 example: 0.2 × 0.8/4.8 = 0.0333… → 0.03333
  [100000, 500000, 4, 20000], // 7.7 example: 1 × 1/5
  [30000, 300000, 2, 10000], // f = 1/3 rounded to 28 digits, 0.3 × f → 0.1
  [100000, 284300000, 2842, 35],
  [77777, 123456789, 1000, 14778],
  [100000, 100000, 1, 0], // tally exactly the quota: f = 0
  [85319, 97100404, 971, 0],
  [47931, 101271364, 2, 47836],
  [4914, 990830419, 7603, 1143],
  [31544, 1871979, 7, 19749],
  [74115, 1891709, 9, 38854],
  [8108, 80004616501, 4, 8108],
  [28977, 7675731970, 76749, 3],
  [54937, 900296, 9, 18],
  [69693, 2790921738, 26996, 2280],
  [59399, 593292782, 5147, 7869],
  [91618, 30702945, 307, 9],
  [58829, 6490364878, 64896, 7],
  [64089, 270459367, 2703, 38],
  [41123, 79770628442, 643, 41090],
  [65100, 71823241, 712, 565],
  [93929, 8967397765, 89292, 400],
  [96778, 9916952, 99, 165],
  [10561, 13430000, 51, 6550],
  [36416, 15018072, 58, 22352],
  [92588, 304552339, 56, 90886],
  [30245, 55925086821, 5879, 29927],
  [30403, 1100154, 11, 4],
  [19094, 3400536, 34, 3],
  [74231, 876539434, 8759, 54],
  [59853, 16057118593, 85848, 27853],
  [52486, 254832904, 1697, 17534],
  [57753, 400026, 4, 4],
]

test.group('Counting | STV exact arithmetic (7.2)', () => {
  test('newMultiplier matches Python decimal for {0}')
    .with(PYTHON_VECTORS)
    .run(({ assert }, [M, V, quota, expected]) => {
      assert.equal(newMultiplier(M, V, quota), expected)
      assert.equal(newMultiplierUnits(BigInt(M), BigInt(V), BigInt(quota)), BigInt(expected))
    })

  test('roundSig rounds a rational to 28 significant digits, half to even', ({ assert }) => {
    assert.deepEqual(roundSig(1n, 3n), [3333333333333333333333333333n, -28])
    assert.deepEqual(roundSig(2n, 3n), [6666666666666666666666666667n, -28])
    assert.deepEqual(roundSig(1n, 8n), [1250000000000000000000000000n, -28]) // exact values keep their value
    // 29 digits ending in 5: ties go to the even neighbour.
    assert.deepEqual(roundSig(10000000000000000000000000005n, 1n), [
      1000000000000000000000000000n,
      1,
    ])
    assert.deepEqual(roundSig(10000000000000000000000000015n, 1n), [
      1000000000000000000000000002n,
      1,
    ])
    // Carry into a 29th digit keeps 28 digits and bumps the exponent.
    assert.deepEqual(roundSig(99999999999999999999999999995n, 10n), [
      1000000000000000000000000000n,
      1,
    ])
    assert.deepEqual(roundSig(0n, 7n), [0n, 0])
    assert.deepEqual(roundSig(1n, 3n, 3), [333n, -3])
  })

  test('the product is rounded to 28 digits before the 5-place rounding (two steps, 7.2)', ({
    assert,
  }) => {
    // 0.000024999…9 with 30 nines: R28 turns it into 0.00002500…0, which Q5 then rounds half-even to 2.
    const coef = 24n * 10n ** 30n + (10n ** 30n - 1n) // 2499…9 (32 digits)
    const [c, e] = roundSigInt(coef, -36)
    assert.equal(c, 25n * 10n ** 26n)
    assert.equal(quantize5(c, e), 2n)
    // The same value rounded once would give 2 as well, but from below; 0.000035 exactly → 4.
    assert.equal(quantize5(35n, -6), 4n)
    assert.equal(quantize5(25n, -6), 2n)
    assert.equal(quantize5(7n, 0), 700000n)
  })

  test('refuses a tally below the quota', ({ assert }) => {
    assert.throws(() => newMultiplierUnits(100000n, 399999n, 4n))
  })

  test('formatUnits prints exact decimals', ({ assert }) => {
    assert.equal(formatUnits(113332), '1.13332')
    assert.equal(formatUnits(400000), '4')
    assert.equal(formatUnits(3333), '0.03333')
    assert.equal(formatUnits(250000n), '2.5')
    assert.equal(formatUnits(0), '0')
  })

  test('unitsToNumber is the nearest double of the exact decimal', ({ assert }) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (u) => {
        assert.equal(unitsToNumber(u), Number(formatUnits(u)))
      }),
      { numRuns: 2000 }
    )
  })
})
