/**
 * Exact decimal arithmetic of the STV family (poll-methods spec, section 7.2).
 *
 * Ballot multipliers, ballot values and tallies are exact decimals with at most five places. They are held
 * as integers in units of 10⁻⁵ ("units"). The only operation that needs more than integer arithmetic is the
 * new multiplier of a surplus transfer, which the reference computes with Python's `decimal` module in its
 * default context (28 significant digits, ROUND_HALF_EVEN at every operation) and then rounds to 5 places:
 *
 *   f  = R28((v − quota) / v)
 *   m′ = Q5(R28(m × f))
 *
 * This module emulates exactly that with BigInt. Nothing here uses binary floating point for a value.
 */

/** Units per 1: values are integers in units of 10⁻⁵. */
export const SCALE = 100_000
export const SCALE_N = 100_000n

/** Significant digits of Python's default decimal context. */
export const PRECISION = 28

const POW10: bigint[] = [1n]
function pow10(k: number): bigint {
  while (POW10.length <= k) POW10.push((POW10[POW10.length - 1] as bigint) * 10n)
  return POW10[k] as bigint
}

function digitCount(x: bigint): number {
  return x === 0n ? 1 : x.toString().length
}

/**
 * q / d rounded half to even to an integer (d > 0, q ≥ 0).
 */
export function divRoundHalfEven(q: bigint, d: bigint): bigint {
  const quotient = q / d
  const twice = (q - quotient * d) * 2n
  if (twice > d || (twice === d && quotient % 2n === 1n)) return quotient + 1n
  return quotient
}

/**
 * The rational num/den (num ≥ 0, den > 0) rounded half to even to `digits` significant digits.
 * Returns [coefficient, exponent] with value = coefficient · 10^exponent. The coefficient has exactly
 * `digits` digits unless the value is 0 (then [0n, 0]).
 */
export function roundSig(num: bigint, den: bigint, digits: number = PRECISION): [bigint, number] {
  if (num < 0n || den <= 0n) throw new RangeError('roundSig expects num ≥ 0 and den > 0')
  if (num === 0n) return [0n, 0]
  const lo = pow10(digits - 1)
  const hi = pow10(digits)
  // Choose s so that floor(num · 10^s / den) has exactly `digits` digits.
  let s = digits - (digitCount(num) - digitCount(den))
  for (;;) {
    const scaledNum = s >= 0 ? num * pow10(s) : num
    const scaledDen = s >= 0 ? den : den * pow10(-s)
    const q = scaledNum / scaledDen
    if (q >= hi) {
      s -= 1
      continue
    }
    if (q < lo) {
      s += 1
      continue
    }
    let c = q
    const twice = (scaledNum - q * scaledDen) * 2n
    if (twice > scaledDen || (twice === scaledDen && q % 2n === 1n)) c += 1n
    if (c === hi) return [lo, -s + 1] // 99…9.5 rounds up to 10^digits: keep `digits` digits
    return [c, -s]
  }
}

/** An integer coefficient · 10^exp rounded half to even to `digits` significant digits. */
export function roundSigInt(
  coef: bigint,
  exp: number,
  digits: number = PRECISION
): [bigint, number] {
  if (coef < 0n) throw new RangeError('roundSigInt expects coef ≥ 0')
  const n = digitCount(coef)
  if (n <= digits) return [coef, exp]
  const drop = n - digits
  const c = divRoundHalfEven(coef, pow10(drop))
  return [c, exp + drop]
}

/** coefficient · 10^exp rounded half to even to 5 decimal places, in units of 10⁻⁵. */
export function quantize5(coef: bigint, exp: number): bigint {
  const e = exp + 5
  return e >= 0 ? coef * pow10(e) : divRoundHalfEven(coef, pow10(-e))
}

/**
 * New multiplier of a ballot whose candidate's surplus is transferred (7.2), all in units of 10⁻⁵:
 * m = M·10⁻⁵, v = V·10⁻⁵, quota an integer. Requires V ≥ quota·10⁵ > 0 (the candidate has at least the
 * quota) and M ≥ 0.
 */
export function newMultiplierUnits(M: bigint, V: bigint, quota: bigint): bigint {
  const surplus = V - quota * SCALE_N
  if (surplus < 0n || V <= 0n) throw new RangeError('newMultiplier: tally below quota')
  // f = R28(surplus / V); the 10⁻⁵ units cancel in the ratio.
  const [fc, fe] = roundSig(surplus, V)
  if (fc === 0n || M === 0n) return 0n
  // m × f = (M · fc) · 10^(fe − 5), rounded to 28 digits, then to 5 places.
  const [pc, pe] = roundSigInt(M * fc, fe - 5)
  return quantize5(pc, pe)
}

/**
 * Number front end of newMultiplierUnits for the hot loops (values are safe integers there).
 */
export function newMultiplier(M: number, V: number, quota: number): number {
  return Number(newMultiplierUnits(BigInt(M), BigInt(V), BigInt(quota)))
}

/** The exact decimal string of a value in units (e.g. 213332 → "2.13332", 400000 → "4"). */
export function formatUnits(units: bigint | number): string {
  const u = typeof units === 'bigint' ? units : BigInt(units)
  const neg = u < 0n
  const a = neg ? -u : u
  const int = a / SCALE_N
  const frac = (a % SCALE_N).toString().padStart(5, '0').replace(/0+$/, '')
  return (neg ? '-' : '') + int.toString() + (frac ? '.' + frac : '')
}

/**
 * The nearest binary64 number of a value in units (7.2). The units and 10⁵ are exact doubles, and IEEE
 * division is correctly rounded, so this equals Number(formatUnits(units)).
 */
export function unitsToNumber(units: number): number {
  return units / SCALE
}
