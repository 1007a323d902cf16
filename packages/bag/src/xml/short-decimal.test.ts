import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pyNumber } from './python-text.js'
import { shortDecimal } from './short-decimal.js'

/** The doubles next to `x` (`steps` ulps away), to probe numbers just off a short decimal. */
function nextDouble(x: number, steps: number): number {
  const f = new Float64Array([x])
  const u = new BigInt64Array(f.buffer)
  u[0] = (u[0] as bigint) + BigInt(steps)
  return f[0] as number
}

/** The range shortDecimal is called for: finite non-integers with 1e-4 <= |n| < 2^53. */
function inRange(n: number): boolean {
  const a = Math.abs(n)
  return !Number.isInteger(n) && a >= 1e-4 && a < 2 ** 53
}

describe('shortDecimal', () => {
  it('prints the shortest round-trip digits, as String() does', () => {
    for (const n of [
      0.25,
      -0.05,
      5.25,
      0.0001,
      0.0001234,
      123456.789,
      1e15 + 0.5,
      0.1,
      0.3,
      1 / 3,
      0.1 + 0.2,
    ]) {
      const s = shortDecimal(n)
      if (s !== undefined) expect(s).toBe(String(n))
    }
    expect(shortDecimal(5.25)).toBe('5.25')
    expect(shortDecimal(-0.05)).toBe('-0.05')
    expect(shortDecimal(0.0001234)).toBe('0.0001234')
  })

  it('gives up on numbers with many fraction digits', () => {
    expect(shortDecimal(0.1 + 0.2)).toBeUndefined()
    expect(shortDecimal(1 / 3)).toBeUndefined()
  })

  it('agrees with String() on short decimals and their neighbouring doubles', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 15), max: 10 ** 15 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: -3, max: 3 }),
        (m, scale, steps) => {
          const n = nextDouble(m / 10 ** scale, steps)
          if (!inRange(n)) return
          const s = shortDecimal(n)
          if (s !== undefined) expect(s).toBe(String(n))
        },
      ),
      { numRuns: 20_000 },
    )
  })

  it('agrees with String() on arbitrary doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        if (!inRange(n)) return
        const s = shortDecimal(n)
        if (s !== undefined) expect(s).toBe(String(n))
      }),
      { numRuns: 20_000 },
    )
  })
})

describe('pyNumber', () => {
  it('keeps Python float text on every path', () => {
    expect(pyNumber(5.25)).toBe('5.25')
    expect(pyNumber(-0)).toBe('-0.0')
    expect(pyNumber(0)).toBe('0')
    expect(pyNumber(2 ** 53 + 2)).toBe('9007199254740994.0')
    expect(pyNumber(9.1e15)).toBe('9100000000000000.0')
    expect(pyNumber(1e16)).toBe('1e+16')
    expect(pyNumber(0.00001)).toBe('1e-05')
    expect(pyNumber(Number.NaN)).toBe('nan')
    expect(pyNumber(-Infinity)).toBe('-inf')
    expect(pyNumber(0.1 + 0.2)).toBe('0.30000000000000004')
  })
})
