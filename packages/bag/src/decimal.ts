import { BagError } from './errors.js'

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const SPECIAL_RE = /^[+-]?(?:NaN|sNaN|Infinity|Inf)$/i

/**
 * An exact decimal number that keeps its text (`"19.990"` stays `"19.990"`). Mirrors Python's
 * `Decimal`; TYTX code `N`. Two decimals are {@link Decimal.equals | equal} when their values are
 * equal (`1.0` equals `1.00`).
 */
export class Decimal {
  /** The exact decimal text. */
  readonly text: string

  /**
   * @param text - decimal text such as `"19.990"`, `"-0.01"`, `"1E+10"`
   * @throws BagError `INVALID_VALUE` when the text is not a decimal number
   */
  constructor(text: string) {
    const t = String(text).trim()
    if (!DECIMAL_RE.test(t) && !SPECIAL_RE.test(t)) {
      throw new BagError(
        'INVALID_VALUE',
        `not a decimal number: ${JSON.stringify(String(text).slice(0, 80))}`,
      )
    }
    this.text = t
  }

  /** The exact text. */
  toString(): string {
    return this.text
  }

  /** The exact text (so `JSON.stringify` keeps the digits). */
  toJSON(): string {
    return this.text
  }

  /** The nearest JavaScript number (may lose precision). */
  toNumber(): number {
    return Number(this.text.replace(/^([+-]?)(s?nan)$/i, 'NaN').replace(/inf(inity)?$/i, 'Infinity'))
  }

  /** True when `other` is a `Decimal` with the same numeric value. */
  equals(other: unknown): boolean {
    if (!(other instanceof Decimal)) return false
    if (other.text === this.text) return true
    return normalize(this.text) === normalize(other.text)
  }
}

/** Canonical form `sign|digits|exponent` with no leading/trailing zeros (zero has one form). */
function normalize(text: string): string {
  if (SPECIAL_RE.test(text)) return text.toLowerCase().replace(/^\+/, '').replace(/^inf$/, 'infinity')
  let sign = ''
  let t = text
  if (t[0] === '+' || t[0] === '-') {
    sign = t[0] === '-' ? '-' : ''
    t = t.slice(1)
  }
  let exp = 0
  const e = t.search(/[eE]/)
  if (e >= 0) {
    exp = Number(t.slice(e + 1))
    t = t.slice(0, e)
  }
  const dot = t.indexOf('.')
  if (dot >= 0) {
    exp -= t.length - dot - 1
    t = t.slice(0, dot) + t.slice(dot + 1)
  }
  t = t.replace(/^0+/, '')
  if (t === '') return '0'
  let end = t.length
  while (end > 0 && t.charCodeAt(end - 1) === 48) {
    end--
    exp++
  }
  return `${sign}${t.slice(0, end)}e${exp}`
}
