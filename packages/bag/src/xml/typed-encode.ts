/**
 * Encoding of values for the typed (`<GenRoBag>`) XML writer: element `_T` codes and attribute
 * `::CODE` suffixes, chosen so that the reference reader and satchel's reader give the value back.
 * @internal
 */
import { Decimal } from '../decimal.js'
import { BagError } from '../errors.js'
import { PlainDate } from '../plain-date.js'
import { PlainTime } from '../plain-time.js'
import { isPlainObject } from '../values.js'
import { stringNeedsTextCode } from './typed-text.js'

/** A typed element value: its `_T` code (none for strings) and its text. */
export interface TypedText {
  code: string | undefined
  text: string
}

function numberText(n: number): TypedText {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return { code: 'L', text: String(n) }
  if (Number.isNaN(n)) return { code: 'R', text: 'NaN' }
  if (n === Number.POSITIVE_INFINITY) return { code: 'R', text: 'Infinity' }
  if (n === Number.NEGATIVE_INFINITY) return { code: 'R', text: '-Infinity' }
  return { code: 'R', text: Object.is(n, -0) ? '-0.0' : String(n) }
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new BagError('NOT_SERIALIZABLE', 'an invalid Date cannot be written')
  return d.toISOString()
}

function jsonMember(value: unknown, depth: number): unknown {
  if (depth > 512) throw new BagError('DEPTH_LIMIT', 'value nested too deeply for typed XML')
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'string') return value.includes('::') ? `${value}::T` : value
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value
    const t = numberText(value)
    return `${t.text}::${t.code}`
  }
  if (typeof value === 'bigint') return `${value}::L`
  if (value instanceof Decimal) return `${value.text}::N`
  if (value instanceof PlainDate) return `${value}::D`
  if (value instanceof PlainTime) return `${value}::H`
  if (value instanceof Date) return `${dateText(value)}::DHZ`
  if (Array.isArray(value)) return value.map((v) => jsonMember(v, depth + 1))
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value)) {
      Object.defineProperty(out, k, {
        value: jsonMember(value[k], depth + 1),
        enumerable: true,
        writable: true,
      })
    }
    return out
  }
  throw new BagError('NOT_SERIALIZABLE', `typed XML cannot carry ${describe(value)}`)
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return 'bytes (use TYTX msgpack)'
  if (typeof value === 'object' && value !== null) return `a ${value.constructor?.name ?? 'object'}`
  return `a ${typeof value}`
}

/**
 * `_T` code and text of a non-Bag value. Strings carry no code; lists and mappings are written as
 * TYTX JSON (`_T="JS"`), which the reference also reads back.
 * @throws BagError `NOT_SERIALIZABLE` for bytes, functions and other objects
 */
export function typedValueText(value: unknown): TypedText {
  if (typeof value === 'string') return { code: undefined, text: value }
  if (value === null || value === undefined) return { code: 'NN', text: '' }
  if (typeof value === 'boolean') return { code: 'B', text: value ? 'true' : 'false' }
  if (typeof value === 'number') return numberText(value)
  if (typeof value === 'bigint') return { code: 'L', text: String(value) }
  if (value instanceof Decimal) return { code: 'N', text: value.text }
  if (value instanceof PlainDate) return { code: 'D', text: value.toString() }
  if (value instanceof PlainTime) return { code: 'H', text: value.toString() }
  if (value instanceof Date) return { code: 'DHZ', text: dateText(value) }
  if (Array.isArray(value) || isPlainObject(value))
    return { code: 'JS', text: JSON.stringify(jsonMember(value, 0)) }
  throw new BagError('NOT_SERIALIZABLE', `typed XML cannot carry ${describe(value)}`)
}

/**
 * Attribute text of a value for the typed writer: typed values get a `::CODE` suffix, strings that
 * the reader would re-type get `::T`. Returns `undefined` for null (null attributes are skipped).
 */
export function typedAttrText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string') return stringNeedsTextCode(value) ? `${value}::T` : value
  const t = typedValueText(value)
  return `${t.text}::${t.code ?? 'T'}`
}
