// Test support: loads the interop vectors and converts their neutral trees to and from Bags.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bag } from '../bag.js'
import { Decimal } from '../decimal.js'
import { PlainDate } from '../plain-date.js'
import { PlainTime } from '../plain-time.js'
import { UuidResolver } from '../resolver.js'
import { parseIsoDateTime } from '../tytx-codes.js'
import { isPlainObject } from '../values.js'

/** A typed value of the manifest (see `value_encoding`). */
export interface NeutralValue {
  type: string
  value?: unknown
  naive?: boolean
  base64?: string
  items?: NeutralValue[]
  entries?: Record<string, NeutralValue>
  children?: NeutralNode[]
}

/** A node of the manifest. */
export interface NeutralNode {
  label: string
  value: NeutralValue
  attrs: Record<string, NeutralValue>
  tag?: string
  xml_tag?: string
  resolver?: string
}

/** One read-back entry. */
export interface Readback {
  tree?: NeutralNode[]
  error?: string
  equal_to_original?: boolean | null
}

/** One case of the manifest. */
export interface VectorCase {
  name: string
  description: string
  tree: NeutralNode[]
  outputs: Record<string, string | { error: string }>
  readback: Record<string, Readback>
}

/** One hand-written decode vector. */
export interface DecodeVector {
  name: string
  format: string
  params: Record<string, unknown>
  input: string
  description: string
  result: Readback
}

/** The manifest. */
export interface Manifest {
  cases: VectorCase[]
  decode_vectors: DecodeVector[]
}

const here = dirname(fileURLToPath(import.meta.url))
/** `<repo>/../shared/bag/vectors`, resolved from this file (packages/bag/src/__fixtures__). */
export const VECTORS_DIR = resolve(here, '../../../../../shared/bag/vectors')

/** Loads vectors.json; throws (failing the suite) when it is missing. */
export function loadManifest(): Manifest {
  const file = resolve(VECTORS_DIR, 'vectors.json')
  if (!existsSync(file)) {
    throw new Error(`interop vectors not found at ${file}: clone the shared/ folder beside the repository`)
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest
}

/** JS value of a neutral typed value. */
export function fromNeutral(v: NeutralValue): unknown {
  switch (v.type) {
    case 'null':
      return null
    case 'bool':
      return v.value as boolean
    case 'int':
      return typeof v.value === 'string' ? BigInt(v.value) : (v.value as number)
    case 'float':
      if (v.value === 'NaN') return Number.NaN
      if (v.value === 'Infinity') return Number.POSITIVE_INFINITY
      if (v.value === '-Infinity') return Number.NEGATIVE_INFINITY
      return v.value as number
    case 'str':
      return v.value as string
    case 'decimal':
      return new Decimal(v.value as string)
    case 'date':
      return new PlainDate(v.value as string)
    case 'datetime': {
      const d = parseIsoDateTime(v.value as string)
      if (!d) throw new Error(`bad datetime ${String(v.value)}`)
      return d
    }
    case 'time':
      return new PlainTime(v.value as string)
    case 'bytes':
      return new Uint8Array(Buffer.from(v.base64 as string, 'base64'))
    case 'list':
      return (v.items ?? []).map(fromNeutral)
    case 'dict': {
      const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>
      for (const [k, x] of Object.entries(v.entries ?? {})) o[k] = fromNeutral(x)
      return o
    }
    case 'bag':
      return bagFromNeutral(v.children ?? [])
    default:
      throw new Error(`unknown neutral type ${v.type}`)
  }
}

/** Builds the Bag a neutral tree describes (labels verbatim, null attributes kept). */
export function bagFromNeutral(nodes: NeutralNode[]): Bag {
  const bag = new Bag()
  for (const n of nodes) {
    const attrs: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(n.attrs)) attrs[k] = fromNeutral(x)
    const node = bag.set([n.label], fromNeutral(n.value), attrs, { keepNullAttrs: true, tag: n.tag ?? null })
    if (n.resolver === 'UuidResolver') {
      // a loaded resolver: the cached value stays the stored one
      const value = node.staticValue
      node.setValue(new UuidResolver())
      node._value = value
    } else if (n.resolver !== undefined) throw new Error(`no resolver class ${n.resolver} in satchel`)
  }
  return bag
}

/** Neutral description of a JS value (for readable comparisons). */
export function toNeutral(v: unknown): unknown {
  if (v === null || v === undefined) return { type: 'null' }
  if (typeof v === 'boolean') return { type: 'bool', value: v }
  if (typeof v === 'bigint') return { type: 'int', value: v.toString() }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { type: 'float', value: 'NaN' }
    if (!Number.isFinite(v)) return { type: 'float', value: v > 0 ? 'Infinity' : '-Infinity' }
    return { type: 'number', value: v === 0 ? 0 : v }
  }
  if (typeof v === 'string') return { type: 'str', value: v }
  if (v instanceof Decimal) return { type: 'decimal', value: v.text }
  if (v instanceof PlainDate) return { type: 'date', value: v.toString() }
  if (v instanceof PlainTime) return { type: 'time', value: v.toString() }
  if (v instanceof Date) return { type: 'datetime', value: v.toISOString() }
  if (v instanceof Uint8Array) return { type: 'bytes', base64: Buffer.from(v).toString('base64') }
  if (Array.isArray(v)) return { type: 'list', items: v.map(toNeutral) }
  if (v instanceof Bag) return { type: 'bag', children: bagToNeutral(v) }
  if (isPlainObject(v))
    return { type: 'dict', entries: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toNeutral(x)])) }
  return { type: 'unknown', value: String(v) }
}

/** Neutral description of a Bag (labels, values, attributes, tags; key order of attrs ignored). */
export function bagToNeutral(bag: Bag): unknown[] {
  return [...bag].map((n) => {
    const out: Record<string, unknown> = {
      label: n.label,
      value: toNeutral(n.staticValue),
      attrs: Object.fromEntries(
        Object.entries(n.getAttr() as Record<string, unknown>).map(([k, x]) => [k, toNeutral(x)]),
      ),
    }
    if (n.tag !== null) out.tag = n.tag
    if (n.resolver !== null) out.resolver = n.resolver.constructor.name
    return out
  })
}

/** The neutral tree as satchel sees it (through JS values), for comparing with `bagToNeutral`. */
export function expectedNeutral(nodes: NeutralNode[]): unknown[] {
  return bagToNeutral(bagFromNeutral(nodes))
}

/** Comparable form of a decoded document (Maps, dates, decimals, bigints, -0 normalized). */
export function normalizeDoc(v: unknown): unknown {
  if (v instanceof Map) return { map: [...v.entries()].map(([k, x]) => [k, normalizeDoc(x)]) }
  if (Array.isArray(v)) return v.map(normalizeDoc)
  if (typeof v === 'number') return v === 0 ? 0 : Number.isNaN(v) ? 'NaN' : v
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : `big:${v}`
  if (v instanceof Date) return `date:${v.toISOString()}`
  if (v instanceof Decimal || v instanceof PlainDate || v instanceof PlainTime)
    return `${v.constructor.name}:${String(v)}`
  if (v instanceof Uint8Array) return `bin:${Buffer.from(v).toString('hex')}`
  if (isPlainObject(v)) return { map: Object.entries(v).map(([k, x]) => [k, normalizeDoc(x)]) }
  return v
}
