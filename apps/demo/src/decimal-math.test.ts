import { describe, expect, it } from 'vitest'
import { addDecimals, formatDecimal, multiplyDecimal, parseDecimal } from './decimal-math.mjs'

describe('exact decimal arithmetic for cart totals', () => {
  it('adds 0.10 and 0.20 to exactly 0.30, unlike binary floats', () => {
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(formatDecimal(addDecimals(parseDecimal('0.10'), parseDecimal('0.20')))).toBe('0.30')
  })

  it('multiplies a price by a quantity and sums mixed scales without rounding', () => {
    const line = multiplyDecimal(parseDecimal('4.5'), 3)
    expect(formatDecimal(addDecimals(line, parseDecimal('0.005')))).toBe('13.505')
    expect(formatDecimal(multiplyDecimal(parseDecimal('12.90'), 7))).toBe('90.30')
  })

  it('formats zero, negatives and values below one with two decimals at least', () => {
    expect(formatDecimal(addDecimals())).toBe('0.00')
    expect(formatDecimal(parseDecimal('-0.5'))).toBe('-0.50')
    expect(formatDecimal(parseDecimal('.07'))).toBe('0.07')
  })

  it('refuses text that is not a decimal number', () => {
    expect(() => parseDecimal('1e3')).toThrow(/not a decimal/)
    expect(() => parseDecimal('')).toThrow(/not a decimal/)
  })
})
