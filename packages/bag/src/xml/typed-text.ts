/**
 * Typed text of the XML format: legacy `_T` codes on elements and TYTX `value::CODE` suffixes on
 * attribute values (SPEC §12.1, §12.3.3), in both directions.
 * @internal
 */
import { Decimal } from '../decimal.js'
import { BagError } from '../errors.js'
import { PlainDate } from '../plain-date.js'
import { PlainTime } from '../plain-time.js'
import { createAttrs, isPlainObject, ownSet } from '../values.js'

const KNOWN_CODES = new Set(['N', 'D', 'DHZ', 'DH', 'H', 'L', 'R', 'B', 'T', 'NN', 'QS', 'JS'])
const INT_RE = /^[+-]?\d+$/
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/
const SPECIAL_FLOAT_RE = /^([+-]?)(nan|inf|infinity)$/i
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/i

/** True when `code` is a TYTX type code the decoder knows. */
export function isKnownCode(code: string): boolean {
  return KNOWN_CODES.has(code)
}

/** Parses integer text: a `number` within ±(2^53−1), a `bigint` beyond. */
export function parseInteger(text: string): number | bigint {
  const t = text.trim()
  if (!INT_RE.test(t))
    throw new BagError('INVALID_VALUE', `not an integer: ${JSON.stringify(t.slice(0, 40))}`)
  const n = Number(t)
  return Number.isSafeInteger(n) ? n : BigInt(t)
}

/** Parses float text as Python's `float()` does (`nan`, `inf`, exponents). */
export function parseFloatText(text: string): number {
  const t = text.trim()
  const special = SPECIAL_FLOAT_RE.exec(t)
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return Number.NaN
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
  }
  if (!FLOAT_RE.test(t)) throw new BagError('INVALID_VALUE', `not a float: ${JSON.stringify(t.slice(0, 40))}`)
  return Number(t)
}

/** Parses an ISO datetime; without an offset it is read as UTC. */
export function parseDatetime(text: string): Date {
  const m = DATETIME_RE.exec(text.trim())
  if (!m) throw new BagError('INVALID_VALUE', `not a datetime: ${JSON.stringify(text.slice(0, 40))}`)
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const ms = Math.floor(Number((frac ?? '').padEnd(6, '0')) / 1000)
  let offsetMin = 0
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)))
  }
  const date = new Date(0)
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d))
  date.setUTCHours(Number(h), Number(mi), Number(s ?? 0), ms)
  if (
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59
  ) {
    throw new BagError('INVALID_VALUE', `not a datetime: ${JSON.stringify(text.slice(0, 40))}`)
  }
  return new Date(date.getTime() - offsetMin * 60_000)
}

/** Parses JSON; a bare integer beyond ±(2^53−1) becomes a `bigint`. */
function parseJson(text: string): unknown {
  const value = JSON.parse(text) as unknown
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    const t = text.trim()
    if (INT_RE.test(t)) return BigInt(t)
  }
  return value
}

function hydrate(value: unknown, depth: number): unknown {
  if (depth > 512) throw new BagError('DEPTH_LIMIT', 'typed JSON attribute nested too deeply')
  if (typeof value === 'string') return value.includes('::') ? decodeSuffixed(value) : value
  if (Array.isArray(value)) return value.map((v) => hydrate(v, depth + 1))
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value)) ownSet(out, k, hydrate(value[k], depth + 1))
    return out
  }
  return value
}

function parseQueryString(text: string): unknown {
  if (text === '') return createAttrs()
  const items = text.split('&')
  const withEq = items.filter((i) => i.includes('='))
  if (withEq.length === 0) return items
  if (withEq.length !== items.length)
    throw new BagError('INVALID_VALUE', 'query string mixes k=v and k items')
  const out: Record<string, unknown> = {}
  for (const item of items) {
    const eq = item.indexOf('=')
    ownSet(out, item.slice(0, eq), decodeSuffixed(item.slice(eq + 1)))
  }
  return out
}

/**
 * Converts `text` of TYTX type `code` (`L`, `R`, `N`, `B`, `D`, `DH`, `DHZ`, `H`, `T`, `NN`, `QS`,
 * `JS`). Unknown codes give `text::code` back. Throws `BagError` when the text does not convert.
 */
export function convertTyped(text: string, code: string): unknown {
  switch (code) {
    case 'T':
      return text
    case 'NN':
      return null
    case 'L':
      return parseInteger(text)
    case 'R':
      return parseFloatText(text)
    case 'N':
      return new Decimal(text)
    case 'B':
      return text.trim().toLowerCase() === 'true'
    case 'D':
      return new PlainDate(text.trim())
    case 'DH':
    case 'DHZ':
      return parseDatetime(text)
    case 'H':
      return new PlainTime(text.trim())
    case 'QS':
      return parseQueryString(text)
    case 'JS':
      try {
        return hydrate(parseJson(text), 0)
      } catch (error) {
        if (BagError.is(error)) throw error
        throw new BagError('INVALID_VALUE', 'invalid JSON in a ::JS value', { cause: error })
      }
    default:
      return `${text}::${code}`
  }
}

/** A string with a known `::CODE` suffix converted; any other string returned as it is. */
export function decodeSuffixed(value: string): unknown {
  const idx = value.lastIndexOf('::')
  if (idx < 0) return value
  const code = value.slice(idx + 2)
  if (!KNOWN_CODES.has(code)) return value
  return convertTyped(value.slice(0, idx), code)
}

/** A JSON integer literal of at most 15 digits, read without JSON.parse; undefined otherwise. */
function smallInt(s: string): number | undefined {
  const len = s.length
  if (len === 0 || len > 15) return undefined
  const negative = s.charCodeAt(0) === 45
  let i = negative ? 1 : 0
  if (i === len) return undefined
  if (s.charCodeAt(i) === 48 && len > i + 1) return undefined
  // the value is built while checking the digits (exact: at most 15 digits), no Number(s) parse
  let n = 0
  for (; i < len; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
    n = n * 10 + (c - 48)
  }
  return negative ? -n : n
}

function mayBeJson(s: string): boolean {
  // Skips JSON's own whitespace only (no trimStart copy): text starting with any other
  // whitespace fails JSON.parse anyway, so the answer is the same.
  let i = 0
  let c = s.charCodeAt(0)
  while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i)
  if (i >= s.length) return false
  // - 0-9 " [ { t f n
  return (
    c === 45 ||
    (c >= 48 && c <= 57) ||
    c === 34 ||
    c === 91 ||
    c === 123 ||
    c === 116 ||
    c === 102 ||
    c === 110
  )
}

/**
 * Decodes an attribute value as the reference does: a `::CODE` suffix types it, valid JSON text is
 * parsed (`"42"` → 42, `"null"` → null), anything else stays a string.
 * @throws BagError `PARSE_ERROR` when a typed suffix does not convert (`"x::L"`)
 */
export function decodeAttrValue(raw: string): unknown {
  const small = smallInt(raw)
  if (small !== undefined) return small
  if (raw.includes('::')) {
    const idx = raw.lastIndexOf('::')
    const code = raw.slice(idx + 2)
    if (KNOWN_CODES.has(code)) {
      try {
        return convertTyped(raw.slice(0, idx), code)
      } catch (error) {
        throw new BagError(
          'PARSE_ERROR',
          `attribute value ${JSON.stringify(raw.slice(0, 60))} does not convert`,
          {
            cause: error,
          },
        )
      }
    }
  }
  if (!mayBeJson(raw)) return raw
  try {
    return parseJson(raw)
  } catch {
    return raw
  }
}

/** True when a plain string attribute would be changed by {@link decodeAttrValue}. */
export function stringNeedsTextCode(s: string): boolean {
  if (s.includes('::')) return true
  if (!mayBeJson(s)) return false
  try {
    JSON.parse(s)
    return true
  } catch {
    return false
  }
}
