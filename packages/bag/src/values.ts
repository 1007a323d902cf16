import { Decimal } from './decimal.js'
import { PlainDate } from './plain-date.js'
import { PlainTime } from './plain-time.js'

/** An attribute map: own string keys only (created without a prototype, so `__proto__` is data). */
export type BagAttributes = Record<string, unknown>

/** Shared empty prototype of attribute maps: no `Object.prototype` in the chain, yet fast objects. */
const ATTRS_PROTO: object = Object.freeze(Object.create(null) as object)

/** A new empty attribute map whose prototype chain holds no properties (so `__proto__` is data). */
export function createAttrs(): BagAttributes {
  return Object.create(ATTRS_PROTO) as BagAttributes
}

/** True for `{}`-style objects (prototype `Object.prototype` or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null || proto === ATTRS_PROTO
}

/** Own property read that never reaches the prototype chain. */
export function ownGet(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

/** Own property write that also works for the key `__proto__`. */
export function ownSet(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })
  } else {
    obj[key] = value
  }
}

/** True when `value` is one of the typed scalar classes of this package. */
export function isTypedScalar(value: unknown): value is Decimal | PlainDate | PlainTime | Date {
  return (
    value instanceof Decimal ||
    value instanceof PlainDate ||
    value instanceof PlainTime ||
    value instanceof Date
  )
}

/**
 * Strict per-type equality of plain values (not Bags): numbers by `===` (NaN equals NaN), typed
 * scalars by value, dates by instant, bytes by content, arrays and plain objects structurally.
 * `isBag`/`bagEquals` let the caller plug in Bag comparison.
 */
export function valuesEqual(
  a: unknown,
  b: unknown,
  bagEquals: (x: unknown, y: unknown) => boolean | undefined,
  depth = 0,
): boolean {
  if (a === b) return true
  const ta = typeof a
  if (ta !== typeof b) return false
  if (ta === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (ta !== 'object' || a === null || b === null) return false
  if (depth > 1000) return false
  const be = bagEquals(a, b)
  if (be !== undefined) return be
  if (a instanceof Decimal) return a.equals(b)
  if (a instanceof PlainDate) return a.equals(b)
  if (a instanceof PlainTime) return a.equals(b)
  if (a instanceof Date)
    return (
      b instanceof Date &&
      (a.getTime() === b.getTime() || (Number.isNaN(a.getTime()) && Number.isNaN(b.getTime())))
    )
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i], bagEquals, depth + 1)) return false
    return true
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false
    return attrsEqual(a, b, bagEquals, depth + 1)
  }
  return false
}

/** Order-insensitive equality of two attribute maps / plain objects. */
export function attrsEqual(
  a: Record<string, unknown> | null,
  b: Record<string, unknown> | null,
  bagEquals: (x: unknown, y: unknown) => boolean | undefined,
  depth = 0,
): boolean {
  const ka = a ? Object.keys(a) : []
  const kb = b ? Object.keys(b) : []
  if (ka.length !== kb.length) return false
  if (ka.length === 0) return true
  for (const k of ka) {
    if (!Object.hasOwn(b as object, k)) return false
    if (!valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], bagEquals, depth))
      return false
  }
  return true
}
