import { describe, expect, it } from 'vitest'
import { Decimal } from './decimal.js'
import { BagError } from './errors.js'
import { PlainDate } from './plain-date.js'
import { PlainTime } from './plain-time.js'
import { decodeTytxString, parseIsoDateTime } from './tytx-codes.js'

describe('typed scalars', () => {
  it('Decimal keeps its exact text and compares by value', () => {
    const d = new Decimal('19.990')
    expect(String(d)).toBe('19.990')
    expect(d.equals(new Decimal('19.99'))).toBe(true)
    expect(new Decimal('1E+2').equals(new Decimal('100'))).toBe(true)
    expect(new Decimal('0.00').equals(new Decimal('-0'))).toBe(true)
    expect(d.equals(new Decimal('19.991'))).toBe(false)
    expect(d.equals(19.99)).toBe(false)
    expect(new Decimal('-0.01').toNumber()).toBe(-0.01)
  })

  it('Decimal rejects text that is not a number', () => {
    expect(() => new Decimal('abc')).toThrow(BagError)
  })

  it('PlainDate validates calendar dates and prints YYYY-MM-DD', () => {
    expect(String(new PlainDate('2024-02-29'))).toBe('2024-02-29')
    expect(() => new PlainDate('2023-02-29')).toThrow(BagError)
    expect(() => new PlainDate('2023-13-01')).toThrow(BagError)
    expect(new PlainDate('2020-01-02').equals(new PlainDate('2020-01-02'))).toBe(true)
  })

  it('PlainTime keeps microseconds and prints a fraction only when non-zero', () => {
    expect(String(new PlainTime('10:30:00'))).toBe('10:30:00')
    expect(String(new PlainTime('10:30:05.25'))).toBe('10:30:05.250000')
    expect(new PlainTime('10:30:05.250').equals(new PlainTime('10:30:05.250000'))).toBe(true)
    expect(() => new PlainTime('24:00:00')).toThrow(BagError)
  })

  it('TYTX strings decode to typed values and unknown suffixes stay text', () => {
    expect(decodeTytxString('1.50::N')).toEqual(new Decimal('1.50'))
    expect(decodeTytxString('7::L')).toBe(7)
    expect(decodeTytxString('9223372036854775807::L')).toBe(9223372036854775807n)
    expect(decodeTytxString('1.5::R')).toBe(1.5)
    expect(decodeTytxString('TRUE::B')).toBe(true)
    expect(decodeTytxString('x::T')).toBe('x')
    expect(decodeTytxString('a::b')).toBe('a::b')
    expect(decodeTytxString('::NN')).toBeNull()
    expect(() => decodeTytxString('abc::L')).toThrow(BagError)
  })

  it('ISO datetimes parse as instants; no offset means UTC', () => {
    expect(parseIsoDateTime('2025-06-15T14:30:45.123456Z')?.toISOString()).toBe('2025-06-15T14:30:45.123Z')
    expect(parseIsoDateTime('2025-06-15T14:30:45+02:00')?.toISOString()).toBe('2025-06-15T12:30:45.000Z')
    expect(parseIsoDateTime('2025-06-15T14:30:45')?.toISOString()).toBe('2025-06-15T14:30:45.000Z')
    expect(parseIsoDateTime('2025-02-30T00:00:00')).toBeNull()
  })
})

describe('BagError', () => {
  it('carries a code and a cause and is recognised by BagError.is', () => {
    const cause = new Error('inner')
    const e = new BagError('PARSE_ERROR', 'bad', { cause })
    expect(e.code).toBe('PARSE_ERROR')
    expect(e.cause).toBe(cause)
    expect(e).toBeInstanceOf(Error)
    expect(BagError.is(e)).toBe(true)
    expect(BagError.is(new Error('x'))).toBe(false)
    expect(BagError.is({ [Symbol.for('@satchel/bag.BagError')]: true })).toBe(true)
  })
})

describe('JSON forms of typed scalars', () => {
  it('toJSON gives the exact text, so JSON.stringify keeps digits and dates', () => {
    expect(
      JSON.stringify({
        d: new Decimal('1.10'),
        day: new PlainDate('2025-01-02'),
        t: new PlainTime('10:00:00'),
      }),
    ).toBe('{"d":"1.10","day":"2025-01-02","t":"10:00:00"}')
  })
})
