/**
 * Fast text of doubles with few fraction digits (prices, measures: `5.25`, `-0.05`), identical to
 * the shortest round-trip digits that both `String(n)` and Python's `repr` print in fixed
 * notation. V8's generic algorithm costs ~190 ns a number (profiled: 12 % of `toXml` on a Bag
 * of floats); this costs a few multiplications and two small-integer conversions.
 * @internal
 */

/** Powers of ten, all exact doubles. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/**
 * Scaled values stay below 2^50, so that (1) one decimal at most with `k` fraction digits lies
 * within half an ulp of the number (ulp < 10^-k / 4): the one found is the shortest round-trip
 * text, the one every correct algorithm prints; and (2) `abs * 10^k`, rounded once, is within
 * 3/16 of that decimal's scaled value, so `Math.round` finds it.
 */
const SCALED_LIMIT = 2 ** 50

/** Fraction digits tried at most; numbers needing more take the generic path. */
const MAX_DIGITS = 12

/**
 * Fixed-notation shortest round-trip text of a finite, non-integer `n` with
 * `1e-4 <= |n| < 1e16`, or `undefined` when it needs more than {@link MAX_DIGITS} fraction digits
 * (the caller then uses `String(n)`).
 */
export function shortDecimal(n: number): string | undefined {
  const abs = n < 0 ? -n : n
  for (let k = 1; k <= MAX_DIGITS; k++) {
    const p = POW10[k] as number
    const scaled = abs * p
    if (scaled >= SCALED_LIMIT) return undefined
    const m = Math.round(scaled)
    // m and 10^k are exact, so the division is the correctly rounded value of the decimal
    // m / 10^k: exactly what parsing its text gives. Equal means the text round-trips.
    if (m / p !== abs) continue
    const whole = Math.floor(m / p)
    const frac = String(m - whole * p)
    const sign = n < 0 ? '-' : ''
    // k is minimal, so the last fraction digit is not 0; pad the leading zeros (0.05 -> "05")
    return frac.length === k
      ? `${sign}${whole}.${frac}`
      : `${sign}${whole}.${'0'.repeat(k - frac.length)}${frac}`
  }
  return undefined
}
