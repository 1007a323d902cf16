import { addExtension, Packr, Unpackr } from 'msgpackr'
import { Decimal } from './decimal.js'
import { BagError, toBagError } from './errors.js'
import { checkBigInt } from './json-text.js'
import { PlainDate } from './plain-date.js'
import { PlainTime } from './plain-time.js'
import { createAttrs, isPlainObject } from './values.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

function utf8(buf: Uint8Array): string {
  return decoder.decode(buf)
}

// TYTX msgpack extension types (SPEC §12.3.4): 1 Decimal, 2 date, 3 time; datetimes use the
// standard timestamp extension (-1) that msgpackr writes for Date.
addExtension({
  Class: Decimal,
  type: 1,
  pack: (d: Decimal) => encoder.encode(d.text),
  unpack: (b: Uint8Array) => new Decimal(utf8(b)),
})
addExtension({
  Class: PlainDate,
  type: 2,
  pack: (d: PlainDate) => encoder.encode(d.toString()),
  unpack: (b: Uint8Array) => new PlainDate(utf8(b)),
})
addExtension({
  Class: PlainTime,
  type: 3,
  pack: (t: PlainTime) => encoder.encode(t.toString()),
  unpack: (b: Uint8Array) => new PlainTime(utf8(b)),
})

const packr = new Packr({
  useRecords: false,
  variableMapSize: true,
  moreTypes: false,
  encodeUndefinedAsNil: true,
})
// Maps as Map when the input may hold a `__proto__` key (msgpackr renames it in objects), else objects (faster).
const mapUnpackr = new Unpackr({
  useRecords: false,
  mapsAsObjects: false,
  int64AsType: 'bigint',
  moreTypes: false,
})
const objUnpackr = new Unpackr({
  useRecords: false,
  mapsAsObjects: true,
  int64AsType: 'bigint',
  moreTypes: false,
})

const PROTO = [0xa9, 0x5f, 0x5f, 0x70, 0x72, 0x6f, 0x74, 0x6f, 0x5f, 0x5f] // fixstr "__proto__"

/** True when the bytes contain the msgpack string `__proto__`. */
function mentionsProto(bytes: Uint8Array): boolean {
  let i = bytes.indexOf(0xa9)
  while (i >= 0 && i + 9 < bytes.length) {
    let k = 1
    while (k < 10 && bytes[i + k] === PROTO[k]) k++
    if (k === 10) return true
    i = bytes.indexOf(0xa9, i + 1)
  }
  return false
}

/** Packs a prepared document. */
export function packDocument(doc: unknown): Uint8Array {
  try {
    // a copy that owns its memory (msgpackr returns a view into a shared, reused buffer)
    return new Uint8Array(packr.pack(doc))
  } catch (error) {
    throw toBagError(error, 'NOT_SERIALIZABLE', 'msgpack encoding failed')
  }
}

/** Unpacks bytes (maps come back as `Map`). */
export function unpackDocument(bytes: Uint8Array): unknown {
  try {
    return (mentionsProto(bytes) ? mapUnpackr : objUnpackr).unpack(bytes)
  } catch (error) {
    throw toBagError(error, 'PARSE_ERROR', 'malformed msgpack')
  }
}

function notSerializable(v: unknown): BagError {
  const kind = typeof v === 'object' && v !== null ? ((v as object).constructor?.name ?? 'object') : typeof v
  return new BagError('NOT_SERIALIZABLE', `cannot serialize a value of type ${kind} in msgpack`)
}

/**
 * Checks a value for msgpack and returns what to pack (same reference unless a copy was needed).
 * @throws BagError `NOT_SERIALIZABLE`, `DEPTH_LIMIT`
 */
export function prepareValue(v: unknown, maxDepth: number, depth: number): unknown {
  switch (typeof v) {
    case 'number':
      // integers beyond 32 bits are written as msgpack ints (msgpackr would pick float64)
      return Number.isSafeInteger(v) && (v > 0xffffffff || v < -0x80000000) ? BigInt(v) : v
    case 'string':
    case 'boolean':
      return v
    case 'undefined':
      return null
    case 'bigint':
      checkBigInt(v)
      return v
    case 'object': {
      if (v === null) return null
      if (v instanceof Decimal || v instanceof PlainDate || v instanceof PlainTime) return v
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw new BagError('NOT_SERIALIZABLE', 'invalid Date')
        return v
      }
      if (v instanceof Uint8Array) return v
      if (depth >= maxDepth) throw new BagError('DEPTH_LIMIT', `value nested deeper than ${maxDepth}`)
      if (Array.isArray(v)) {
        let out: unknown[] | null = null
        for (let i = 0; i < v.length; i++) {
          const x = v[i] as unknown
          const p = prepareValue(x, maxDepth, depth + 1)
          if (p !== x && out === null) out = v.slice(0, i)
          if (out !== null) out.push(p)
        }
        return out ?? v
      }
      if (isPlainObject(v)) return prepareObject(v, maxDepth, depth + 1)
      throw notSerializable(v)
    }
    default:
      throw notSerializable(v)
  }
}

/** Checks an attribute map / plain object for msgpack (undefined members dropped). */
export function prepareObject(
  o: Record<string, unknown>,
  maxDepth: number,
  depth: number,
): Record<string, unknown> {
  // always a plain `{}` copy: msgpackr packs those on its fastest path
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o)) {
    const x = o[k]
    if (x === undefined) continue
    const p = prepareValue(x, maxDepth, depth)
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: p, writable: true, enumerable: true, configurable: true })
    else out[k] = p
  }
  return out
}

/**
 * Converts an unpacked value: Maps → objects without prototype, bin → plain `Uint8Array`, safe
 * bigints → numbers; anything a TYTX writer cannot produce → `PARSE_ERROR`.
 */
export function fromPacked(v: unknown, maxDepth: number, depth: number): unknown {
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v
    case 'bigint':
      return v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v
    case 'object': {
      if (v === null) return null
      if (v instanceof Decimal || v instanceof PlainDate || v instanceof PlainTime) return v
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) throw new BagError('PARSE_ERROR', 'invalid timestamp')
        return v
      }
      if (v instanceof Uint8Array) return new Uint8Array(v)
      if (depth >= maxDepth) throw new BagError('DEPTH_LIMIT', `input nested deeper than ${maxDepth}`)
      if (Array.isArray(v)) {
        const out = new Array<unknown>(v.length)
        for (let i = 0; i < v.length; i++) out[i] = fromPacked(v[i], maxDepth, depth + 1)
        return out
      }
      if (v instanceof Map) return mapToObject(v, maxDepth, depth + 1, false)
      if (Object.getPrototypeOf(v) === Object.prototype)
        return packedObject(v as Record<string, unknown>, maxDepth, depth + 1, false)
      throw new BagError('PARSE_ERROR', 'unsupported msgpack value')
    }
    default:
      throw new BagError('PARSE_ERROR', 'unsupported msgpack value')
  }
}

/** A decoded object (or Map) → object without prototype (values converted); null for anything else. */
export function packedMap(
  v: unknown,
  maxDepth: number,
  depth: number,
  dropNull: boolean,
): Record<string, unknown> | null {
  if (v instanceof Map) return mapToObject(v, maxDepth, depth, dropNull)
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return packedObject(v as Record<string, unknown>, maxDepth, depth, dropNull)
  }
  return null
}

function packedObject(
  o: Record<string, unknown>,
  maxDepth: number,
  depth: number,
  dropNull: boolean,
): Record<string, unknown> {
  const out = createAttrs()
  for (const k in o) {
    const v = fromPacked(o[k], maxDepth, depth)
    if (dropNull && v === null) continue
    out[k] = v
  }
  return out
}

/** A `Map` with string keys → object without prototype (values converted). */
export function mapToObject(
  m: Map<unknown, unknown>,
  maxDepth: number,
  depth: number,
  dropNull: boolean,
): Record<string, unknown> {
  const out = createAttrs()
  for (const [k, x] of m) {
    if (typeof k !== 'string') throw new BagError('PARSE_ERROR', 'msgpack map keys must be strings')
    const v = fromPacked(x, maxDepth, depth)
    if (dropNull && v === null) continue
    out[k] = v
  }
  return out
}
