// Test support (not exported by the package): converts the manifest's neutral typed trees to Bags
// and Bags back to neutral trees, so vector tests compare structures.

import type { NeutralNode, NeutralValue } from '../../__fixtures__/vectors.js'
import { Bag } from '../../bag.js'
import type { BagNode } from '../../bag-node.js'
import { Decimal } from '../../decimal.js'
import { PlainDate } from '../../plain-date.js'
import { PlainTime } from '../../plain-time.js'
import { isPlainObject } from '../../values.js'

export type { NeutralNode, NeutralValue }

function datetimeOf(text: string, naive: boolean | undefined): Date {
  return new Date(naive === true ? `${text}Z` : text)
}

/** Neutral typed value → JavaScript value. */
export function fromNeutralValue(v: NeutralValue): unknown {
  switch (v.type) {
    case 'null':
      return null
    case 'bool':
    case 'str':
      return v.value
    case 'int':
      return typeof v.value === 'string' ? BigInt(v.value) : v.value
    case 'float':
      return typeof v.value === 'string' ? Number(v.value) : v.value
    case 'decimal':
      return new Decimal(v.value as string)
    case 'date':
      return new PlainDate(v.value as string)
    case 'time':
      return new PlainTime(v.value as string)
    case 'datetime':
      return datetimeOf(v.value as string, v.naive)
    case 'bytes':
      return new Uint8Array(Buffer.from(v.base64 as string, 'base64'))
    case 'list':
      return (v.items ?? []).map(fromNeutralValue)
    case 'dict': {
      const out: Record<string, unknown> = {}
      for (const [k, item] of Object.entries(v.entries ?? {})) out[k] = fromNeutralValue(item)
      return out
    }
    case 'bag':
      return bagFromNeutral(v.children ?? [])
    default:
      throw new Error(`unknown neutral type ${v.type}`)
  }
}

/** Builds a Bag from neutral nodes (labels verbatim, tags applied). */
export function bagFromNeutral(nodes: readonly NeutralNode[]): Bag {
  const bag = new Bag()
  for (const n of nodes) {
    const attrs: Record<string, unknown> = {}
    for (const [k, a] of Object.entries(n.attrs)) attrs[k] = fromNeutralValue(a)
    const node = bag.set([n.label], fromNeutralValue(n.value), attrs)
    if (n.tag !== undefined) node.tag = n.tag
    if (n.xml_tag !== undefined) node.xmlTag = n.xml_tag
  }
  return bag
}

/** A comparable form: numbers by value (int and float alike), datetimes as UTC ISO instants. */
export type Comparable = unknown

function comparableValue(v: unknown): Comparable {
  if (v === null || v === undefined) return { null: true }
  if (typeof v === 'number') return { num: Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v }
  if (typeof v === 'bigint') return { num: String(v) }
  if (typeof v === 'string') return { str: v }
  if (typeof v === 'boolean') return { bool: v }
  if (v instanceof Decimal) return { decimal: v.text }
  if (v instanceof PlainDate) return { date: String(v) }
  if (v instanceof PlainTime) return { time: String(v) }
  if (v instanceof Date) return { datetime: v.toISOString() }
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('base64') }
  if (Array.isArray(v)) return { list: v.map(comparableValue) }
  if (v instanceof Bag) return { bag: comparableBag(v) }
  if (isPlainObject(v)) {
    const out: Record<string, Comparable> = {}
    for (const k of Object.keys(v)) out[k] = comparableValue(v[k])
    return { dict: out }
  }
  return { other: String(v) }
}

/** Comparable form of a Bag: labels, values, attributes and (when set) xml tags. */
export function comparableBag(bag: Bag): Comparable[] {
  return bag.nodes.map((node: BagNode) => {
    const attrs: Record<string, Comparable> = {}
    for (const [k, a] of Object.entries(node._attr ?? {})) attrs[k] = comparableValue(a)
    const out: Record<string, Comparable> = { label: node.label, value: comparableValue(node._value), attrs }
    if (node.xmlTag !== null) out.xmlTag = node.xmlTag
    return out
  })
}

/** Comparable form of neutral nodes (via the same JavaScript values). */
export function comparableNeutral(nodes: readonly NeutralNode[], withXmlTags: boolean): Comparable[] {
  return nodes.map((n) => {
    const attrs: Record<string, Comparable> = {}
    for (const [k, a] of Object.entries(n.attrs)) attrs[k] = comparableValue(fromNeutralValue(a))
    const value =
      n.value.type === 'bag'
        ? { bag: comparableNeutral(n.value.children ?? [], withXmlTags) }
        : comparableValue(fromNeutralValue(n.value))
    const out: Record<string, Comparable> = { label: n.label, value, attrs }
    if (withXmlTags && n.xml_tag !== undefined) out.xmlTag = n.xml_tag
    return out
  })
}
