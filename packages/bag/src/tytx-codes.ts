import { Decimal } from './decimal.js'
import { BagError } from './errors.js'
import { isValidYmd, PlainDate } from './plain-date.js'
import { PlainTime } from './plain-time.js'
import { createAttrs } from './values.js'

/** Suffixes a TYTX JSON reader interprets (plus `X`, the Bag marker): strings ending so get `::T`. */
const ESCAPED_CODES = new Set(['N', 'D', 'DHZ', 'DH', 'H', 'L', 'R', 'B', 'T', 'NN', 'QS', 'JS', 'X'])

/** True when a plain string would be changed by a TYTX JSON reader (ends in `::<code>`). */
export function looksTyped(s: string): boolean {
  const i = s.lastIndexOf('::')
  return i >= 0 && ESCAPED_CODES.has(s.slice(i + 2))
}

const DT_RE =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/

/** Parses an ISO datetime; no offset means UTC. Returns null when malformed. */
export function parseIsoDateTime(text: string): Date | null {
  const m = DT_RE.exec(text)
  if (!m) return null
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = Number(m[6] ?? 0)
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3))
  if (!isValidYmd(year, month, day) || hour > 23 || minute > 59 || second > 59) return null
  let offset = 0
  const tz = m[8]
  if (tz && tz !== 'Z' && tz !== 'z') {
    const sign = tz[0] === '-' ? -1 : 1
    const digits = tz.slice(1).replace(':', '')
    const oh = Number(digits.slice(0, 2))
    const om = Number(digits.slice(2) || 0)
    if (oh > 23 || om > 59) return null
    offset = sign * (oh * 60 + om)
  }
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, ms)
  const t = d.getTime() - offset * 60_000
  return Number.isNaN(t) ? null : new Date(t)
}

const INT_RE = /^[+-]?\d+$/
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/

/** An integer from text: a number when safe, otherwise a bigint. */
export function intFromText(text: string): number | bigint {
  const n = Number(text)
  if (Number.isSafeInteger(n)) return n
  return BigInt(text)
}

function fail(text: string, code: string): never {
  throw new BagError('PARSE_ERROR', `invalid TYTX value for ::${code}: ${JSON.stringify(text.slice(0, 80))}`)
}

/** The time text TYTX JSON writes: `HH:MM:SS.mmm`, or 6 fraction digits when sub-millisecond. */
export function timeText(t: PlainTime): string {
  const base = t.toString().slice(0, 8)
  const us = t.microsecond
  if (us % 1000 === 0) return `${base}.${String(us / 1000).padStart(3, '0')}`
  return `${base}.${String(us).padStart(6, '0')}`
}

/** `text::CODE` for a typed scalar, or null when the value is not one. */
export function encodeTypedText(v: object): string | null {
  if (v instanceof Decimal) return `${v.text}::N`
  if (v instanceof PlainDate) return `${v.toString()}::D`
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new BagError('NOT_SERIALIZABLE', 'invalid Date')
    return `${v.toISOString()}::DHZ`
  }
  if (v instanceof PlainTime) return `${timeText(v)}::H`
  return null
}

/** Decodes one TYTX string (`"19.99::N"` → Decimal); strings without a known suffix are returned as is. */
export function decodeTytxString(s: string): unknown {
  const i = s.lastIndexOf('::')
  if (i < 0) return s
  const code = s.slice(i + 2)
  const text = s.slice(0, i)
  switch (code) {
    case 'T':
      return text
    case 'N':
      try {
        return new Decimal(text)
      } catch {
        return fail(text, code)
      }
    case 'D':
      try {
        return new PlainDate(text)
      } catch {
        return fail(text, code)
      }
    case 'DHZ':
    case 'DH':
      return parseIsoDateTime(text) ?? fail(text, code)
    case 'H':
      try {
        return new PlainTime(text)
      } catch {
        return fail(text, code)
      }
    case 'L':
      if (!INT_RE.test(text.trim())) fail(text, code)
      return intFromText(text.trim())
    case 'R': {
      const t = text.trim()
      if (FLOAT_RE.test(t)) return Number(t)
      const l = t.toLowerCase().replace(/^\+/, '')
      if (l === 'nan') return Number.NaN
      if (l === 'inf' || l === 'infinity') return Number.POSITIVE_INFINITY
      if (l === '-inf' || l === '-infinity') return Number.NEGATIVE_INFINITY
      return fail(text, code)
    }
    case 'B': {
      const l = text.trim().toLowerCase()
      if (l === 'true') return true
      if (l === 'false') return false
      return fail(text, code)
    }
    case 'NN':
      return null
    case 'QS':
      return decodeQueryString(text)
    default:
      return s
  }
}

function decodeQueryString(text: string): unknown {
  if (text === '') return createAttrs()
  const items = text.split('&')
  const eq = items.filter((x) => x.includes('=')).length
  if (eq === 0) return items.map((x) => decodeQueryItem(x))
  if (eq !== items.length) return fail(text, 'QS')
  const out = createAttrs()
  for (const item of items) {
    const k = item.indexOf('=')
    out[item.slice(0, k)] = decodeQueryItem(item.slice(k + 1))
  }
  return out
}

/** A query-string value: TYTX suffix decoded, otherwise numbers inferred (as the reference does). */
function decodeQueryItem(text: string): unknown {
  if (text.indexOf('::') >= 0) return decodeTytxString(text)
  if (INT_RE.test(text)) return intFromText(text)
  if (FLOAT_RE.test(text)) return Number(text)
  return text
}
