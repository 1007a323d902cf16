/**
 * Python text forms of values (`str()` and `repr()`), used by the plain XML writer (which writes
 * what the reference writes) and by the tree view.
 * @internal
 */
import { Decimal } from '../decimal.js'
import { PlainDate } from '../plain-date.js'
import { PlainTime } from '../plain-time.js'
import { isPlainObject } from '../values.js'
import { shortDecimal } from './short-decimal.js'

/** Python `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (n === Number.POSITIVE_INFINITY) return 'inf'
  if (n === Number.NEGATIVE_INFINITY) return '-inf'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const abs = Math.abs(n)
  // Both languages print the shortest round-trip digits; in this range both use fixed notation.
  if (abs >= 1e-4 && abs < 1e16 && !Number.isInteger(n)) return String(n)
  const exp = n.toExponential() // e.g. "-1.2345e+20", shortest digits
  const ePos = exp.indexOf('e')
  const mantissa = exp.slice(0, ePos)
  const e = Number(exp.slice(ePos + 1))
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '')
  const sign = negative ? '-' : ''
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    const ae = Math.abs(e)
    return `${sign}${m}e${e < 0 ? '-' : '+'}${ae < 10 ? `0${ae}` : ae}`
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`
  if (digits.length <= e + 1) return `${sign}${digits}${'0'.repeat(e + 1 - digits.length)}.0`
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`
}

/** Python `str()` of a number: safe integers as ints, anything else as a float. */
export function pyNumber(n: number): string {
  if (Number.isSafeInteger(n)) return n === 0 && 1 / n < 0 ? '-0.0' : String(n)
  // Not a safe integer yet below 2^53 in magnitude (NaN fails both tests): a fraction at least
  // 1e-4 in size is printed alike by both languages, skip pyFloat's special cases.
  const abs = n < 0 ? -n : n
  if (abs >= 1e-4 && abs < 9007199254740992) return shortDecimal(n) ?? String(n)
  return pyFloat(n)
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** Python `str(datetime)` of a UTC instant: `YYYY-MM-DD HH:MM:SS[.ffffff]+00:00`. */
export function pyDatetime(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'NaT'
  const ms = d.getUTCMilliseconds()
  const frac = ms === 0 ? '' : `.${pad(ms, 3)}000`
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}${frac}+00:00`
}

/** Python `str(time)`: `HH:MM:SS[.ffffff]`. */
export function pyTime(t: PlainTime): string {
  return t.toString()
}

/** Python `repr(str)`: single quotes unless the text holds `'` and no `"`. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0
    if (ch === '\\') out += '\\\\'
    else if (ch === quote) out += `\\${quote}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`
    else if (c >= 0x80 && c <= 0xa0) out += `\\x${c.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return out + quote
}

/** Python `repr(bytes)`: `b'\x00ab'`. */
export function pyBytesRepr(b: Uint8Array): string {
  let hasSingle = false
  let hasDouble = false
  for (const c of b) {
    if (c === 39) hasSingle = true
    if (c === 34) hasDouble = true
  }
  const quote = hasSingle && !hasDouble ? '"' : "'"
  let out = `b${quote}`
  for (const c of b) {
    if (c === 92) out += '\\\\'
    else if (c === quote.charCodeAt(0)) out += `\\${quote}`
    else if (c === 10) out += '\\n'
    else if (c === 13) out += '\\r'
    else if (c === 9) out += '\\t'
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`
    else out += String.fromCharCode(c)
  }
  return out + quote
}

/** Python `repr()` of a value (as it appears inside lists, mappings and the tree view). */
export function pyRepr(value: unknown, depth = 0): string {
  if (depth > 64) return '...'
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return pyStrRepr(value)
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pyNumber(value)
  if (typeof value === 'bigint') return String(value)
  if (value instanceof Decimal) return `Decimal('${value.text}')`
  if (value instanceof PlainDate) return `datetime.date(${value.year}, ${value.month}, ${value.day})`
  if (value instanceof PlainTime) {
    const parts = [value.hour, value.minute]
    if (value.second !== 0 || value.microsecond !== 0) parts.push(value.second)
    if (value.microsecond !== 0) parts.push(value.microsecond)
    return `datetime.time(${parts.join(', ')})`
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return 'NaT'
    const parts = [
      value.getUTCFullYear(),
      value.getUTCMonth() + 1,
      value.getUTCDate(),
      value.getUTCHours(),
      value.getUTCMinutes(),
    ]
    const s = value.getUTCSeconds()
    const us = value.getUTCMilliseconds() * 1000
    if (s !== 0 || us !== 0) parts.push(s)
    if (us !== 0) parts.push(us)
    return `datetime.datetime(${parts.join(', ')}, tzinfo=datetime.timezone.utc)`
  }
  if (value instanceof Uint8Array) return pyBytesRepr(value)
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, depth + 1)).join(', ')}]`
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .map((k) => `${pyStrRepr(k)}: ${pyRepr(value[k], depth + 1)}`)
      .join(', ')}}`
  }
  return String(value)
}

/** Python `str()` of a value: the text the reference writes into XML. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pyNumber(value)
  if (typeof value === 'bigint') return String(value)
  if (value instanceof Decimal || value instanceof PlainDate || value instanceof PlainTime)
    return value.toString()
  if (value instanceof Date) return pyDatetime(value)
  return pyRepr(value)
}
